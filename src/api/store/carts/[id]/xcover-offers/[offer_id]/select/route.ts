import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { removeXcoverOfferWorkflow } from "../../../../../../../workflows/remove-xcover-offer"
import { selectXcoverOfferWorkflow } from "../../../../../../../workflows/select-xcover-offer"
import { answeringConflicts } from "../../../../../../conflict"
import type { StoreSelectOfferBody } from "../../../../../../middlewares"
import { offerIdParam, storeCart } from "../../store-cart"

/** The shopper takes one quote of the offer: its cover line goes into the cart at XCover's price. */
export async function POST(
  req: MedusaRequest<StoreSelectOfferBody>,
  res: MedusaResponse
) {
  const offerId = offerIdParam(req.params.offer_id)
  await answeringConflicts(res, async () => {
    await selectXcoverOfferWorkflow(req.scope).run({
      input: {
        cart_id: req.params.id,
        offer_id: offerId,
        quote_id: req.validatedBody.quote_id,
      },
    })
    res.json({ cart: await storeCart(req.scope, req.params.id) })
  })
}

/** The shopper no longer wants the cover: its line leaves the cart (the offer stays recorded). */
export async function DELETE(req: MedusaRequest, res: MedusaResponse) {
  const offerId = offerIdParam(req.params.offer_id)
  await answeringConflicts(res, async () => {
    await removeXcoverOfferWorkflow(req.scope).run({
      input: { cart_id: req.params.id, offer_id: offerId },
    })
    res.json({ cart: await storeCart(req.scope, req.params.id) })
  })
}
