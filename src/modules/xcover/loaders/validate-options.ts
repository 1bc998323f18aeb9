import type { LoaderOptions } from "@medusajs/framework/types"
import { asValue } from "@medusajs/framework/awilix"
import { MedusaError } from "@medusajs/framework/utils"
import { credentialsOf, parseXcoverOptions } from "../options"

/** Container key under which the parsed options are available to the module's service. */
export const XCOVER_OPTIONS_KEY = "xcoverOptions"

/**
 * Custom modules get no `validateOptions` call, so options are checked here, once, at boot.
 * An invalid value stops the boot with a message naming the option; missing credentials only
 * leave the plugin idle (offers are still recorded and are sent once credentials exist).
 */
export default async function validateOptionsLoader({
  container,
  options,
  logger,
}: LoaderOptions<Record<string, unknown>>): Promise<void> {
  const parsed = parseXcoverOptions(options)
  if (!parsed.ok) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `medusa-plugin-xcover: ${parsed.message}`
    )
  }
  const credentials = credentialsOf(parsed.options)
  if (!credentials.ok) {
    logger?.warn(
      `medusa-plugin-xcover is idle: ${credentials.missing.join(", ")} not set. ` +
        "Declined offers are recorded and will be opted out once credentials are configured (here or in the admin, Settings → XCover)."
    )
  }
  container.register(XCOVER_OPTIONS_KEY, asValue(parsed.options))
}
