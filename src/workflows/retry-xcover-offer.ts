import {
  createWorkflow,
  transform,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { dispatchOptOutsStep } from "./steps/dispatch-outbox"
import { requeueXcoverOfferStep } from "./steps/requeue-xcover-offer"

export const retryXcoverOfferWorkflowId = "retry-xcover-offer"

/**
 * Admin API: send a failed or rejected opt-out again. The offer goes back to the outbox first, so
 * if the immediate dispatch cannot finish, the scheduled job still sends it.
 */
export const retryXcoverOfferWorkflow = createWorkflow(
  retryXcoverOfferWorkflowId,
  (input: { id: string }) => {
    const offer = requeueXcoverOfferStep(input)
    const dispatch = dispatchOptOutsStep(
      transform({ offer }, ({ offer }) => ({
        order_id: offer.order_id ?? undefined,
      }))
    )
    return new WorkflowResponse({ offer, dispatch })
  }
)
