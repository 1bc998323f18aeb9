import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { XCOVER_MODULE } from "../../modules/xcover"
import type XcoverModuleService from "../../modules/xcover/service"

/**
 * Sends the due opt-outs right away (of one order, or all). Upstream failures are not errors
 * here: they are recorded on each offer and retried by the scheduled job, which also picks up
 * anything this step could not finish because the process stopped.
 */
export const dispatchOptOutsStep = createStep(
  "dispatch-xcover-opt-outs",
  async (input: { order_id?: string }, { container }) => {
    const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
    return new StepResponse(await xcover.dispatchDueOptOuts(input))
  }
)

/** Sends the order's due confirms right away; like opt-outs, failures are recorded and retried. */
export const dispatchBookingsStep = createStep(
  "dispatch-xcover-bookings",
  async (input: { order_id?: string }, { container }) => {
    const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
    return new StepResponse(await xcover.dispatchDueBookings(input))
  }
)

/** Sends the order's due cancellations right away (preview, then confirmation). */
export const dispatchCancellationsStep = createStep(
  "dispatch-xcover-cancellations",
  async (input: { order_id?: string }, { container }) => {
    const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
    return new StepResponse(await xcover.dispatchDueCancellations(input))
  }
)
