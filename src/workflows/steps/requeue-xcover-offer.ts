import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { XCOVER_MODULE } from "../../modules/xcover"
import type XcoverModuleService from "../../modules/xcover/service"

/**
 * Moves a failed or rejected offer back to pending. No compensation: a requeued offer is exactly
 * what the dispatch job would send anyway, so leaving it pending is safe.
 */
export const requeueXcoverOfferStep = createStep(
  "requeue-xcover-offer",
  async (input: { id: string }, { container }) => {
    const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
    return new StepResponse(await xcover.requeueOffer(input.id))
  }
)
