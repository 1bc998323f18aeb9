import { createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { XCOVER_MODULE } from "../modules/xcover"
import type XcoverModuleService from "../modules/xcover/service"
import { dispatchBookingsStep } from "./steps/dispatch-opt-outs"

export const retryXcoverBookingWorkflowId = "retry-xcover-booking"

/** A failed booking back to pending (no compensation: pending is what the job would send anyway). */
export const requeueXcoverBookingStep = createStep("requeue-xcover-booking", async (input: { id: string }, { container }) => {
  const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
  return new StepResponse(await xcover.requeueBooking(input.id))
})

/**
 * Admin API: confirm a failed booking again once its cause is fixed, with the same idempotency
 * key (XCover answers a repeat with the booking it made, never a second one).
 */
export const retryXcoverBookingWorkflow = createWorkflow(retryXcoverBookingWorkflowId, (input: { id: string }) => {
  const booking = requeueXcoverBookingStep(input)
  const dispatch = dispatchBookingsStep(transform({ booking }, ({ booking }) => ({ order_id: booking.order_id })))
  return new WorkflowResponse({ booking, dispatch })
})
