import type { Logger } from "@medusajs/framework/types"
import type { BookingSettled } from "./booking"
import type { CancellationSettled } from "./cancellation"

export type SettledReport = {
  logger: Logger
  emit: (name: string, data: Record<string, unknown>) => void
  dispatchCancellations: (orderId: string) => void
}

/**
 * A booking reached its end: one log line, and an event stores can subscribe to (a certificate
 * email, say). Event data carries ids, never XCover's links (they hold a security token).
 */
export function reportBookingSettled(event: BookingSettled, { logger, emit, dispatchCancellations }: SettledReport): void {
  if (event.status === "failed") {
    logger.error(
      `xcover: booking of offer ${event.offer_id} (order ${event.order_id}) FAILED: ${event.reason}. The shopper paid for cover: fix the cause and retry it from the order page`
    )
    emit("xcover.booking.failed", { order_id: event.order_id, offer_id: event.offer_id, reason: event.reason })
    return
  }
  const number = event.booking?.booking_id ?? "(no booking id in the answer)"
  logger.info(`xcover: offer ${event.offer_id} of order ${event.order_id} booked: ${number}`)
  if (event.price_mismatch) {
    logger.warn(
      `xcover: booking ${number} (order ${event.order_id}): XCover booked ${event.booking?.total_price} ${event.booking?.currency ?? ""}, the order charged ${event.charged_amount}; check it in the admin`
    )
  }
  emit("xcover.booking.confirmed", { order_id: event.order_id, offer_id: event.offer_id, booking_id: event.booking?.booking_id ?? null, price_mismatch: event.price_mismatch })
  if (event.cancellation_due) {
    // The order was cancelled while this booking was on its way.
    dispatchCancellations(event.order_id)
  }
}

/** A cancellation reached its end: the refund XCover computed goes out as an event (the store refunds). */
export function reportCancellationSettled(event: CancellationSettled, { logger, emit }: SettledReport): void {
  if (event.status === "failed") {
    logger.error(`xcover: cancellation of booking ${event.booking_id} (order ${event.order_id}) FAILED: ${event.reason}; retry it from the order page`)
    emit("xcover.cancellation.failed", { order_id: event.order_id, offer_id: event.offer_id, booking_id: event.booking_id, reason: event.reason })
    return
  }
  logger.info(
    `xcover: booking ${event.booking_id} (order ${event.order_id}) cancelled at XCover; refund ${event.total_refund ?? "unknown"} ${event.currency ?? ""} to pay back to the shopper`
  )
  emit("xcover.booking.cancelled", {
    order_id: event.order_id,
    offer_id: event.offer_id,
    booking_id: event.booking_id,
    reason: event.reason,
    total_refund: event.total_refund,
    currency: event.currency,
    refund: event.refund,
  })
}
