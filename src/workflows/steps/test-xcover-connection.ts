import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { XCOVER_MODULE } from "../../modules/xcover"
import type XcoverModuleService from "../../modules/xcover/service"

/** One probe call with the settings in effect; the answer is data, not an error. */
export const testXcoverConnectionStep = createStep(
  "test-xcover-connection",
  async (_: void, { container }) => {
    const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
    return new StepResponse(await xcover.testConnection())
  }
)
