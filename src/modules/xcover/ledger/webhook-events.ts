import { num, record, text } from "../client/json"
import type { SqlExecutor, SqlManager } from "../sql"
import { recordBookingEvent } from "./booking-events"
import { recordEvent } from "./durable-events"

export const BOOKING_EVENTS = ["BOOKING_CREATED", "BOOKING_UPDATED", "BOOKING_CANCELLED"] as const

export type AppliedEvent =
  | { result: "applied"; booking_row_id: string; order_id: string; offer_id: string; booking_id: string | null; cancelled_now: boolean; total_refund: number | null; currency: string | null }
  | { result: "duplicate" | "unknown_booking" | "ignored"; booking_row_id?: string }

type EventBooking = { id: string; order_id: string; offer_id: string; booking_id: string | null; booking_status: string | null }

/** The booking an event names: by XCover's id, else by `partner_transaction_id` when that order has exactly one. */
export async function findEventBooking(em: SqlExecutor, payloadValue: unknown, lock = false): Promise<EventBooking | null> {
  const payload = record(payloadValue) ?? {}
  const columns = "SELECT id, order_id, offer_id, booking_id, booking_status FROM xcover_booking"
  const forUpdate = lock ? " FOR UPDATE" : ""
  const bookingId = text(payload.id)
  const orderId = text(payload.partner_transaction_id)
  let rows = bookingId ? await em.execute(`${columns} WHERE booking_id = ? AND deleted_at IS NULL${forUpdate}`, [bookingId]) : []
  if (!rows.length && orderId) {
    rows = await em.execute(`${columns} WHERE order_id = ? AND status = 'booked' AND deleted_at IS NULL${forUpdate}`, [orderId])
  }
  return rows.length === 1 ? (rows[0] as EventBooking) : null
}

/**
 * Applies one of XCover's booking webhooks to the booking it names, in one transaction: kept in
 * the booking's history first (as received), so the same event twice changes nothing; then the
 * booking takes the state XCover gives for it (`truth`: the booking as read from XCover right
 * now, which a replayed or altered body cannot fake; the event's payload when not read). A
 * CANCELLED booking never moves back; a booking cancelled at XCover needs no cancellation from
 * the plugin any more.
 */
export async function applyBookingEvent(manager: SqlManager, event: string, payloadValue: unknown, truthValue?: unknown): Promise<AppliedEvent> {
  const payload = record(payloadValue) ?? {}
  const truth = record(truthValue) ?? payload
  if (!(BOOKING_EVENTS as readonly string[]).includes(event)) {
    return { result: "ignored" }
  }
  return manager.transactional(async (em) => {
    const booking = await findEventBooking(em, payload, true)
    if (!booking) {
      return { result: "unknown_booking" }
    }
    const rowId = String(booking.id)
    // Kept as received, with what XCover said when read: a replay (same body, same state) is a
    // no-op, while a forged body never hides the genuine event that follows it.
    const kept = truthValue !== undefined ? { received: payload, xcover: truth } : payload
    if (!(await recordBookingEvent(em, { booking_row_id: rowId, source: "webhook", event, payload: kept }))) {
      return { result: "duplicate", booking_row_id: rowId }
    }
    if (booking.booking_status === "CANCELLED") {
      // Irreversible at XCover: later news about a cancelled booking stays in its history only.
      return { result: "ignored", booking_row_id: rowId }
    }
    const read = truthValue !== undefined
    const status = (read ? text(truth.status) : event === "BOOKING_CANCELLED" ? "CANCELLED" : text(truth.status))?.toUpperCase() ?? null
    const cancelling = status === "CANCELLED"
    const quotes = Array.isArray(truth.quotes)
      ? truth.quotes.flatMap((q) => {
          const quote = record(q)
          return quote && typeof quote.id === "string"
            ? [{ id: quote.id, status: text(quote.status), price: num(quote.price), policy_name: text(record(quote.policy)?.policy_name) }]
            : []
        })
      : null
    // A cancelled booking's totals come back 0 (captured live, cancel-twostep-confirm): the price
    // it was booked at stays on the ledger.
    const [updated] = await em.execute(
      `UPDATE xcover_booking
       SET booking_status = COALESCE(?, booking_status), currency = COALESCE(?, currency), total_price = COALESCE(?, total_price),
           quotes = COALESCE(?::jsonb, quotes), total_refund = COALESCE(?, total_refund),
           cancelled_at = ${cancelling ? "COALESCE(cancelled_at, now())" : "cancelled_at"}, updated_at = now()
       WHERE id = ?
       RETURNING booking_id, currency, total_refund::float8 AS total_refund`,
      [status, text(truth.currency), cancelling ? null : num(truth.total_price), quotes ? JSON.stringify(quotes) : null, num(truth.total_refund), rowId]
    )
    if (cancelling) {
      // Cancelled at XCover (the customer, through the cancel link): the store refunds, as for its own cancellations.
      await recordEvent(em, "xcover.booking.cancelled", {
        order_id: String(booking.order_id),
        offer_id: String(booking.offer_id),
        booking_id: updated.booking_id === null ? null : String(updated.booking_id),
        reason: "xcover",
        total_refund: updated.total_refund === null ? null : Number(updated.total_refund),
        currency: updated.currency === null ? null : String(updated.currency),
      })
      await em.execute(
        `UPDATE xcover_cancellation
         SET status = 'cancelled', last_error = 'cancelled at XCover (webhook)', next_attempt_at = NULL, completed_at = now(), updated_at = now()
         WHERE booking_row_id = ? AND status IN ('pending', 'retrying') AND deleted_at IS NULL`,
        [rowId]
      )
    }
    return {
      result: "applied",
      booking_row_id: rowId,
      order_id: String(booking.order_id),
      offer_id: String(booking.offer_id),
      booking_id: updated.booking_id === null ? null : String(updated.booking_id),
      cancelled_now: cancelling,
      total_refund: updated.total_refund === null ? null : Number(updated.total_refund),
      currency: updated.currency === null ? null : String(updated.currency),
    }
  })
}
