import {
  createWorkflow,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import type { SaveSettingsInput } from "../modules/xcover/settings/settings-store"
import { saveXcoverSettingsStep } from "./steps/save-xcover-settings"

export const saveXcoverSettingsWorkflowId = "save-xcover-settings"

/** Admin API: save XCover settings (they apply to the next call, no restart). */
export const saveXcoverSettingsWorkflow = createWorkflow(
  saveXcoverSettingsWorkflowId,
  (input: SaveSettingsInput) => {
    saveXcoverSettingsStep(input)
    return new WorkflowResponse(undefined)
  }
)
