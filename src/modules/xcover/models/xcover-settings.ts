import { model } from "@medusajs/framework/utils"
import { SIGNATURE_ALGORITHMS } from "../options"

/**
 * Where calls go: XCover production, Cover Genius's sandbox, or (`custom`) the `baseUrl` plugin
 * option. The admin may only choose the first two: it must not be able to send signed requests
 * with the API key to a host of its choosing.
 */
export const ENVIRONMENTS = ["production", "sandbox", "custom"] as const
export type XcoverEnvironment = (typeof ENVIRONMENTS)[number]
export const ADMIN_ENVIRONMENTS = ["production", "sandbox"] as const
export type AdminEnvironment = (typeof ADMIN_ENVIRONMENTS)[number]

/**
 * Settings saved in the admin: one row (`scope = 'default'`). Every column is nullable: null means
 * "not overridden", so the plugin option from `medusa-config.ts` (or its default) applies.
 * The API secret is only ever stored sealed with AES-256-GCM (see `crypto/secret-box.ts`).
 */
const XcoverSettings = model.define("xcover_settings", {
  id: model.id({ prefix: "xcset" }).primaryKey(),
  scope: model.text().unique(),
  partner_code: model.text().nullable(),
  api_key: model.text().nullable(),
  api_secret_encrypted: model.text().nullable(),
  /** `custom` (with `base_url`) was saved by 0.1.0 only; it is ignored since (see resolve-settings.ts). */
  environment: model.enum([...ENVIRONMENTS]).nullable(),
  base_url: model.text().nullable(),
  signature_algorithm: model.enum([...SIGNATURE_ALGORITHMS]).nullable(),
  enabled: model.boolean().nullable(),
})

export default XcoverSettings
