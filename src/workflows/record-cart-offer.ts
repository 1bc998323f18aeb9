import {
  createWorkflow,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { recordCartOfferStep } from "./steps/record-cart-offer"

export const recordCartOfferWorkflowId = "record-xcover-cart-offer"

/** Store API: the storefront showed an XCover offer for this cart. */
export const recordCartOfferWorkflow = createWorkflow(
  recordCartOfferWorkflowId,
  (input: { cart_id: string; offer_id: string }) =>
    new WorkflowResponse(recordCartOfferStep(input))
)
