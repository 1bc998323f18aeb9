import type { Logger } from "@medusajs/framework/types"
import type { BookingSettled } from "./booking"
import type { CancellationSettled } from "./cancellation"
import type { ReadbackSettled } from "./readback"

/** What an operation settled, as its kind returns it; its event (if any) was written with it. */
export type Settled = BookingSettled | CancellationSettled | ReadbackSettled

/** Whether the settled operation wrote an event that should be published now, not at the job's next run. */
export function wroteEvent(settled: Settled): boolean {
  return settled.kind === "read-back"
    ? settled.status === "read" && settled.cancelled_now
    : true
}

/** The kind made due by what was settled: a booking of an order cancelled on its way must be cancelled now. */
export function followUpOf(settled: Settled): "cancellation" | null {
  return settled.kind === "booking" &&
    settled.status === "booked" &&
    settled.cancellation_due
    ? "cancellation"
    : null
}

/**
 * One log line per settled operation, the louder the more a person must act. Event data and logs
 * carry ids, never XCover's links (they hold a security token).
 */
export function logSettled(settled: Settled, logger: Logger): void {
  switch (settled.kind) {
    case "booking":
      return logBooking(settled, logger)
    case "cancellation":
      return logCancellation(settled, logger)
    case "read-back":
      return logReadback(settled, logger)
  }
}

function logBooking(event: BookingSettled, logger: Logger): void {
  if (event.status === "failed") {
    logger.error(
      `xcover: booking of offer ${event.offer_id} (order ${event.order_id}) FAILED: ${event.reason}. The shopper paid for cover: fix the cause and retry it from the order page`
    )
    return
  }
  const number = event.booking?.booking_id ?? "(no booking id in the answer)"
  logger.info(
    `xcover: offer ${event.offer_id} of order ${event.order_id} booked: ${number}`
  )
  if (event.price_mismatch) {
    logger.warn(
      `xcover: booking ${number} (order ${event.order_id}): XCover booked ${event.booking?.total_price} ${event.booking?.currency ?? ""}, the order charged ${event.charged_amount}; check it in the admin`
    )
  }
}

function logCancellation(event: CancellationSettled, logger: Logger): void {
  if (event.status === "failed") {
    logger.error(
      `xcover: cancellation of booking ${event.booking_id} (order ${event.order_id}) FAILED: ${event.reason}; retry it from the order page`
    )
    return
  }
  logger.info(
    `xcover: booking ${event.booking_id} (order ${event.order_id}) cancelled at XCover; refund ${event.total_refund ?? "unknown"} ${event.currency ?? ""} to pay back to the shopper`
  )
}

function logReadback(event: ReadbackSettled, logger: Logger): void {
  if (event.status === "failed") {
    logger.error(
      `xcover: policy ${event.booking_id} (order ${event.order_id}) could not be read back from XCover: ${event.reason}; check it in XCover's portal`
    )
    return
  }
  if (event.reported) {
    const r = event.reported
    logger.warn(
      `xcover: policy ${event.booking_id} (order ${event.order_id}): XCover reports ${r.differs.join(" and ")} differently from the ledger ` +
        `(XCover: ${r.status ?? "no status"}, ${r.total_price ?? "no price"} ${r.currency ?? ""}); shown on the order page, not applied`
    )
  }
  if (event.cancelled_now) {
    logger.info(
      `xcover: policy ${event.booking_id} (order ${event.order_id}) was cancelled at XCover: recorded here`
    )
  }
}
