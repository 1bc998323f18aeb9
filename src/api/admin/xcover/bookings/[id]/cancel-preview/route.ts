import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { XCOVER_MODULE } from "../../../../../../modules/xcover"
import type XcoverModuleService from "../../../../../../modules/xcover/service"

/** XCover's preview of cancelling this policy: the refund it would compute. Changes nothing. */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const xcover = req.scope.resolve<XcoverModuleService>(XCOVER_MODULE)
  const preview = await xcover.previewCancellation(req.params.id)
  res.json({
    preview: {
      total_refund: preview.total_refund,
      currency: preview.currency,
      quotes: preview.quotes,
      confirm_before: preview.confirm_before,
    },
  })
}
