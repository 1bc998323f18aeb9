import {
  createWorkflow,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import {
  requeueXcoverOffersStep,
  type RequeueOffersInput,
} from "./steps/requeue-xcover-offers"

export const retryXcoverOffersWorkflowId = "retry-xcover-offers"

/**
 * Admin API: send every failed or rejected opt-out in a filter again. They go back to the
 * outbox and the dispatch job sends them at the account's rate (a bulk retry can be large, so
 * the request does not wait for the sending).
 */
export const retryXcoverOffersWorkflow = createWorkflow(
  retryXcoverOffersWorkflowId,
  (input: RequeueOffersInput) =>
    new WorkflowResponse(requeueXcoverOffersStep(input))
)
