import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { XCOVER_MODULE } from "../../../../../../modules/xcover"
import type XcoverModuleService from "../../../../../../modules/xcover/service"
import { retryXcoverOfferWorkflow } from "../../../../../../workflows/retry-xcover-offer"

/** Sends a failed or rejected opt-out again and answers with the offer as it is afterwards. */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  await retryXcoverOfferWorkflow(req.scope).run({
    input: { id: req.params.id },
  })
  const xcover = req.scope.resolve<XcoverModuleService>(XCOVER_MODULE)
  const { offers } = await xcover.listOfferLog({
    limit: 1,
    offset: 0,
    id: req.params.id,
  })
  res.json({ offer: offers[0] })
}
