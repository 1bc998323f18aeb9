import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import {
  ContainerRegistrationKeys,
  MedusaError,
} from "@medusajs/framework/utils"
import { XCOVER_MODULE } from "../../../../../modules/xcover"
import type XcoverModuleService from "../../../../../modules/xcover/service"
import { answeringConflicts } from "../../../../conflict"
import { recordCartOfferWorkflow } from "../../../../../workflows/record-cart-offer"
import type { StoreRecordOfferBody } from "../../../../middlewares"

/** Records that the storefront showed this offer for the cart. Idempotent per offer id. */
export async function POST(
  req: MedusaRequest<StoreRecordOfferBody>,
  res: MedusaResponse
) {
  await answeringConflicts(res, async () => {
    const { result } = await recordCartOfferWorkflow(req.scope).run({
      input: { cart_id: req.params.id, offer_id: req.validatedBody.offer_id },
    })
    res.status(result.created ? 201 : 200).json({ xcover_offer: result.offer })
  })
}

/** The offers recorded for the cart and what became of them. */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "cart",
    fields: ["id"],
    filters: { id: req.params.id },
  })
  if (!data.length) {
    throw new MedusaError(
      MedusaError.Types.NOT_FOUND,
      `Cart with id: ${req.params.id} was not found`
    )
  }
  const xcover = req.scope.resolve<XcoverModuleService>(XCOVER_MODULE)
  res.json({ xcover_offers: await xcover.listCartOffers(req.params.id) })
}
