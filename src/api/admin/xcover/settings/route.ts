import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { XCOVER_MODULE } from "../../../../modules/xcover"
import type XcoverModuleService from "../../../../modules/xcover/service"
import { saveXcoverSettingsWorkflow } from "../../../../workflows/save-xcover-settings"
import type { AdminSaveXcoverSettingsBody } from "../validators"

/**
 * The settings in effect and where each comes from (the API secret is only `api_secret_set`),
 * and how delivery is doing: the credential circuit and XCover's clock.
 */
async function settingsResponse(xcover: XcoverModuleService) {
  const [settings, delivery] = await Promise.all([
    xcover.getAdminSettings(),
    xcover.getDeliveryHealth(),
  ])
  return { settings, delivery }
}

export async function GET(req: MedusaRequest, res: MedusaResponse) {
  res.json(
    await settingsResponse(
      req.scope.resolve<XcoverModuleService>(XCOVER_MODULE)
    )
  )
}

export async function POST(
  req: MedusaRequest<AdminSaveXcoverSettingsBody>,
  res: MedusaResponse
) {
  const xcover = req.scope.resolve<XcoverModuleService>(XCOVER_MODULE)
  const { api_secret, ...rest } = req.validatedBody
  // Sealed before the workflow, so the plaintext secret is never stored as workflow input.
  const sealed = api_secret ? xcover.sealApiSecret(api_secret) : api_secret
  await saveXcoverSettingsWorkflow(req.scope).run({
    input: { ...rest, api_secret_sealed: sealed },
  })
  res.json(await settingsResponse(xcover))
}
