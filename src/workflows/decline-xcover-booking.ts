import {
  createStep,
  createWorkflow,
  StepResponse,
  transform,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { XCOVER_MODULE } from "../modules/xcover"
import type XcoverModuleService from "../modules/xcover/service"
import { dispatchOptOutsStep } from "./steps/dispatch-outbox"

export const declineXcoverBookingWorkflowId = "decline-xcover-booking"

/** A held booking declined: never sent; its offer back in the opt-out outbox, the decline announced. */
export const declineHeldXcoverBookingStep = createStep(
  "decline-held-xcover-booking",
  async (input: { id: string }, { container }) => {
    const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
    const booking = await xcover.declineHeldBooking(input.id)
    void xcover.publishEvents()
    return new StepResponse(booking)
  }
)

/**
 * Admin API: the merchant declines a storefront offer's booking held for review
 * (`storefrontOfferBooking: "hold_for_review"`). No policy is booked; the offer is opted out at
 * once (XCover counts it as not converted). Refunding what the shopper paid for it is the
 * merchant's, as for any line.
 */
export const declineXcoverBookingWorkflow = createWorkflow(
  declineXcoverBookingWorkflowId,
  (input: { id: string }) => {
    const booking = declineHeldXcoverBookingStep(input)
    const dispatch = dispatchOptOutsStep(
      transform({ booking }, ({ booking }) => ({ order_id: booking.order_id }))
    )
    return new WorkflowResponse({ booking, dispatch })
  }
)
