import type { Logger } from "@medusajs/framework/types"
import type { BookingSettled } from "./booking"
import type { CancellationSettled } from "./cancellation"
import type { ReadbackSettled } from "./readback"

export type SettledReport = {
  logger: Logger
  /** Publishes the events written with the outcomes (`ledger/durable-events`), now rather than at the job's next run. */
  publishEvents: () => void
  dispatchCancellations: (orderId: string) => void
}

/**
 * A booking reached its end: one log line; its event (a certificate email, say, subscribes to it)
 * was written with the outcome and is published now. Event data carries ids, never XCover's
 * links (they hold a security token).
 */
export function reportBookingSettled(
  event: BookingSettled,
  { logger, publishEvents, dispatchCancellations }: SettledReport
): void {
  publishEvents()
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
  if (event.cancellation_due) {
    // The order was cancelled while this booking was on its way.
    dispatchCancellations(event.order_id)
  }
}

/** A cancellation reached its end: its event (the refund XCover computed: the store refunds) is published now. */
export function reportCancellationSettled(
  event: CancellationSettled,
  { logger, publishEvents }: SettledReport
): void {
  publishEvents()
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

/** A read-back found the policy cancelled at XCover (its refund's event is published now), reported differently, or could not be done. */
export function reportReadbackSettled(
  event: ReadbackSettled,
  { logger, publishEvents }: SettledReport
): void {
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
    publishEvents()
  }
}
