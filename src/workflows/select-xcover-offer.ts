import {
  acquireLockStep,
  addToCartWorkflow,
  releaseLockStep,
} from "@medusajs/medusa/core-flows"
import {
  createWorkflow,
  transform,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { exemptCoverFromTaxStep } from "./steps/exempt-cover-from-tax"
import { prepareOfferSelectionStep } from "./steps/prepare-offer-selection"
import { removeCoverLines } from "./steps/remove-cover-lines"

export const selectXcoverOfferWorkflowId = "select-xcover-offer"

/**
 * Store API: the shopper takes a quote. Its cover line replaces the covered line's current
 * cover (if any), at the price XCover quoted. Under the cart's lock (the one Medusa's cart
 * workflows take; theirs are skipped inside this one): two selects at once leave one cover line.
 */
export const selectXcoverOfferWorkflow = createWorkflow(
  selectXcoverOfferWorkflowId,
  (input: { cart_id: string; offer_id: string; quote_id: string }) => {
    acquireLockStep({ key: input.cart_id, timeout: 5, ttl: 20 })
    const prepared = prepareOfferSelectionStep(input)
    exemptCoverFromTaxStep()
    removeCoverLines("remove-previous-xcover-cover", prepared)
    addToCartWorkflow.runAsStep({
      input: transform({ prepared }, ({ prepared }) => ({
        cart_id: prepared.cart_id,
        items: [prepared.item],
      })),
    })
    releaseLockStep({ key: input.cart_id })
    return new WorkflowResponse({
      cart_id: prepared.cart_id,
      offer_id: input.offer_id,
    })
  }
)
