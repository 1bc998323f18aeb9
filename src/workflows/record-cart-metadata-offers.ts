import {
  createWorkflow,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { recordCartMetadataOffersStep } from "./steps/record-cart-metadata-offers"

export const recordCartMetadataOffersWorkflowId =
  "record-xcover-cart-metadata-offers"

/** A cart was created or updated: record the offers its metadata names. */
export const recordCartMetadataOffersWorkflow = createWorkflow(
  recordCartMetadataOffersWorkflowId,
  (input: { cart_id: string }) =>
    new WorkflowResponse(recordCartMetadataOffersStep(input))
)
