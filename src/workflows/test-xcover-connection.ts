import {
  createWorkflow,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { testXcoverConnectionStep } from "./steps/test-xcover-connection"

export const testXcoverConnectionWorkflowId = "test-xcover-connection"

/** Admin API: a signed probe call that says whether XCover accepts the credentials. */
export const testXcoverConnectionWorkflow = createWorkflow(
  testXcoverConnectionWorkflowId,
  () => {
    return new WorkflowResponse(testXcoverConnectionStep())
  }
)
