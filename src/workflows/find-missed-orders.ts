import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { findMissedOrdersStep } from "./steps/find-missed-orders"

export const findMissedOrdersWorkflowId = "find-missed-xcover-orders"

/** For the dispatch job: placed orders whose offers were never decided (a lost event). */
export const findMissedOrdersWorkflow = createWorkflow(findMissedOrdersWorkflowId, () =>
  new WorkflowResponse(findMissedOrdersStep())
)
