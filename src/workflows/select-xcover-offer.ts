import {
  acquireLockStep,
  addToCartWorkflow,
  deleteLineItemsWorkflow,
  releaseLockStep,
} from "@medusajs/medusa/core-flows"
import {
  createWorkflow,
  transform,
  when,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { exemptCoverFromTaxStep } from "./steps/exempt-cover-from-tax"
import { prepareOfferSelectionStep } from "./steps/prepare-offer-selection"

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
    when(
      "remove-previous-xcover-cover",
      { prepared },
      ({ prepared }) => prepared.remove_ids.length > 0
    ).then(() => {
      deleteLineItemsWorkflow.runAsStep({
        input: transform({ prepared }, ({ prepared }) => ({
          cart_id: prepared.cart_id,
          ids: prepared.remove_ids,
        })),
      })
    })
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
