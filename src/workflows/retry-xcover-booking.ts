import {
  createStep,
  createWorkflow,
  StepResponse,
  transform,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import {
  ContainerRegistrationKeys,
  MedusaError,
} from "@medusajs/framework/utils"
import { XCOVER_MODULE } from "../modules/xcover"
import type XcoverModuleService from "../modules/xcover/service"
import type { Policyholder } from "../modules/xcover/service"
import { dispatchBookingsStep } from "./steps/dispatch-outbox"
import {
  bookingLines,
  isCancelledOrder,
  ORDER_DECISION_FIELDS,
  policyholderOf,
  type OrderGraph,
} from "./order-graph"

/**
 * The order as it is now: a merchant who fixed the cause (added the phone XCover asked for, or
 * the quote ids a storefront forgot) retries with what the order says today.
 */
export const reloadBookingOrderStep = createStep(
  "reload-xcover-booking-order",
  async (input: { id: string }, { container }) => {
    const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
    const booking = await xcover.getBooking(input.id)
    if (!booking) {
      throw new MedusaError(
        MedusaError.Types.NOT_FOUND,
        `XCover booking ${input.id} was not found`
      )
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "order",
      fields: ORDER_DECISION_FIELDS,
      filters: { id: booking.order_id },
    })
    const order = data[0] as OrderGraph | undefined
    if (!order) {
      return new StepResponse<{
        id: string
        policyholder: Policyholder | null
        quote_ids: string[]
      }>({ id: input.id, policyholder: null, quote_ids: [] })
    }
    if (isCancelledOrder(order)) {
      // Booking it now would leave a live policy for an order the shopper no longer has.
      throw new MedusaError(
        MedusaError.Types.CONFLICT,
        `Order ${order.id} was cancelled: its cover is not booked, so this booking cannot be sent`
      )
    }
    const quoteIds = bookingLines(order.items)
      .filter((l) => l.offer_id === booking.offer_id)
      .flatMap((l) => l.quote_ids ?? [])
    return new StepResponse({
      id: input.id,
      policyholder: policyholderOf(order),
      quote_ids: [...new Set(quoteIds)],
    })
  }
)

export const retryXcoverBookingWorkflowId = "retry-xcover-booking"

/** A failed or held booking back to pending (no compensation: pending is what the job would send anyway). */
export const requeueXcoverBookingStep = createStep(
  "requeue-xcover-booking",
  async (
    input: {
      id: string
      policyholder: Policyholder | null
      quote_ids: string[]
    },
    { container }
  ) => {
    const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
    return new StepResponse(
      await xcover.requeueBooking(input.id, {
        policyholder: input.policyholder,
        quote_ids: input.quote_ids,
      })
    )
  }
)

/**
 * Admin API: confirm a failed booking again once its cause is fixed, or book one held for
 * review (`storefrontOfferBooking: "hold_for_review"`), with the same idempotency
 * key (XCover answers a repeat with the booking it made, never a second one) and the
 * policyholder (and a storefront offer's quote ids) as the order has them now.
 */
export const retryXcoverBookingWorkflow = createWorkflow(
  retryXcoverBookingWorkflowId,
  (input: { id: string }) => {
    const booking = requeueXcoverBookingStep(reloadBookingOrderStep(input))
    const dispatch = dispatchBookingsStep(
      transform({ booking }, ({ booking }) => ({ order_id: booking.order_id }))
    )
    return new WorkflowResponse({ booking, dispatch })
  }
)
