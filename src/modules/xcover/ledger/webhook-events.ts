import { parseBooking } from "../client/booking"
import { num, record, text } from "../client/json"
import type { SqlExecutor, SqlManager } from "../sql"
import { recordBookingEvent } from "./booking-events"
import { recordEvent } from "./durable-events"
import { nudgeReadback } from "./readbacks"
import { cancellationSettledAtXcover } from "./cancellations"
import {
  reportedDrift,
  type LedgerPolicy,
  type ReportedDrift,
} from "./reported-drift"

export const BOOKING_EVENTS = [
  "BOOKING_CREATED",
  "BOOKING_UPDATED",
  "BOOKING_CANCELLED",
] as const

/** What became of a verified webhook: stored (its read-back due now), or not for us. */
export type StoredWebhook =
  | { result: "stored"; booking_row_id: string; order_id: string }
  | {
      result: "duplicate" | "unknown_booking" | "ignored"
      booking_row_id?: string
    }

/** What a read of XCover's booking did to the ledger's. */
export type AppliedTruth = {
  result: "applied" | "ignored" | "unknown_booking"
  cancelled_now: boolean
  reported: ReportedDrift | null
}

function ledgerPolicy(row: Record<string, unknown>): LedgerPolicy {
  return {
    booking_status: text(row.booking_status),
    currency: text(row.currency),
    total_price: num(row.total_price),
    total_premium: num(row.total_premium),
  }
}

type EventBooking = {
  id: string
  order_id: string
  offer_id: string
  booking_id: string | null
  booking_status: string | null
}

/** The booking an event names: by XCover's id, else by `partner_transaction_id` when that order has exactly one. */
export async function findEventBooking(
  em: SqlExecutor,
  payloadValue: unknown,
  lock = false
): Promise<EventBooking | null> {
  const payload = record(payloadValue) ?? {}
  const columns =
    "SELECT id, order_id, offer_id, booking_id, booking_status FROM xcover_booking"
  const forUpdate = lock ? " FOR UPDATE" : ""
  const bookingId = text(payload.id)
  const orderId = text(payload.partner_transaction_id)
  // Raw SQL: a row lock (SELECT … FOR UPDATE when `lock`; its one caller, storeWebhook, sets it), so
  // webhooks and read-backs of one booking take turns.
  let rows = bookingId
    ? await em.execute(
        `${columns} WHERE booking_id = ? AND deleted_at IS NULL${forUpdate}`,
        [bookingId]
      )
    : []
  if (!rows.length && orderId) {
    // Raw SQL: the same row lock (SELECT … FOR UPDATE when `lock`).
    rows = await em.execute(
      `${columns} WHERE order_id = ? AND status = 'booked' AND deleted_at IS NULL${forUpdate}`,
      [orderId]
    )
  }
  return rows.length === 1 ? (rows[0] as EventBooking) : null
}

/**
 * Keeps a verified webhook, in one transaction: in the booking's history first (as received:
 * the same event twice is stored once), and the booking's read-back made due now. XCover signs
 * the Date only, never the body, so the body is never applied: the read-back (signed Get Booking,
 * through the outbox, retried like any call) takes the booking's state from XCover itself.
 * Nothing is lost while XCover cannot be read: the webhook is answered 200 once stored.
 */
export async function storeWebhook(
  manager: SqlManager,
  event: string,
  payloadValue: unknown,
  retryMaxAgeMs: number
): Promise<StoredWebhook> {
  const payload = record(payloadValue) ?? {}
  if (!(BOOKING_EVENTS as readonly string[]).includes(event)) {
    return { result: "ignored" }
  }
  return manager.transactional(async (em) => {
    const booking = await findEventBooking(em, payload, true)
    if (!booking) {
      return { result: "unknown_booking" }
    }
    const rowId = String(booking.id)
    if (
      !(await recordBookingEvent(em, {
        booking_row_id: rowId,
        source: "webhook",
        event,
        payload,
      }))
    ) {
      return { result: "duplicate", booking_row_id: rowId }
    }
    if (booking.booking_status === "CANCELLED") {
      // Irreversible at XCover: later news about a cancelled booking stays in its history only.
      return { result: "ignored", booking_row_id: rowId }
    }
    await nudgeReadback(
      em,
      { booking_row_id: rowId, order_id: String(booking.order_id) },
      retryMaxAgeMs
    )
    return {
      result: "stored",
      booking_row_id: rowId,
      order_id: String(booking.order_id),
    }
  })
}

/**
 * Applies XCover's booking as Get Booking answered it (`truth`) to the ledger's, inside the
 * caller's transaction: status, quotes, refund (and currency and price while the ledger has none).
 * A CANCELLED booking never moves back; one cancelled at XCover (the customer, through the
 * cancel link) needs no cancellation from the plugin any more, and its refund is announced as for
 * the store's own cancellations. What XCover reports differently and is not applied (another
 * price than booked, a live policy the ledger has cancelled: `reportedDrift`) is kept in
 * `reported`, both values visible; a read that agrees again clears it.
 */
export async function applyBookingTruth(
  em: SqlExecutor,
  bookingRowId: string,
  truthValue: unknown
): Promise<AppliedTruth> {
  const truth = record(truthValue) ?? {}
  // Raw SQL: a row lock (SELECT … FOR UPDATE) to the end of the caller's transaction, so a webhook and this
  // read of one booking take turns.
  const [booking] = await em.execute(
    `SELECT id, order_id, offer_id, booking_id, booking_status, currency, total_price::float8 AS total_price, total_premium::float8 AS total_premium
     FROM xcover_booking WHERE id = ? AND deleted_at IS NULL FOR UPDATE`,
    [bookingRowId]
  )
  if (!booking) {
    return { result: "unknown_booking", cancelled_now: false, reported: null }
  }
  const parsed = parseBooking(truth)
  const reported = parsed ? reportedDrift(ledgerPolicy(booking), parsed) : null
  // The read's time on the database clock, like every other time in the ledger.
  const reportedSql =
    "reported = CASE WHEN ?::jsonb IS NULL THEN NULL ELSE ?::jsonb || jsonb_build_object('reported_at', now()) END"
  const reportedJson = reported ? JSON.stringify(reported) : null
  const reportedParams = [reportedJson, reportedJson]
  if (booking.booking_status === "CANCELLED") {
    // Irreversible at XCover: its answer is only compared (a policy live there again is for a person).
    // Raw SQL: `reported` stamped on the database clock (jsonb || jsonb_build_object('reported_at', now())).
    await em.execute(
      `UPDATE xcover_booking SET ${reportedSql}, updated_at = now() WHERE id = ?`,
      [...reportedParams, bookingRowId]
    )
    return { result: "ignored", cancelled_now: false, reported }
  }
  const status = parsed?.booking_status?.toUpperCase() ?? null
  const cancelling = status === "CANCELLED"
  const priceDrift = reported?.differs.includes("price") ?? false
  // The booked price stays (another one is drift, kept in `reported`); a cancelled booking's
  // totals come back 0 (captured live, cancel-twostep-confirm). Quotes carry prices too: not
  // applied while the price drifts.
  // Raw SQL: the times on the database clock (now() in cancelled_at and `reported`, see reportedSql).
  const [updated] = await em.execute(
    `UPDATE xcover_booking
     SET booking_status = COALESCE(?, booking_status), currency = COALESCE(currency, ?), total_price = COALESCE(total_price, ?),
         quotes = COALESCE(?::jsonb, quotes), total_refund = COALESCE(?, total_refund), ${reportedSql},
         cancelled_at = ${cancelling ? "COALESCE(cancelled_at, now())" : "cancelled_at"}, updated_at = now()
     WHERE id = ?
     RETURNING booking_id, currency, total_refund::float8 AS total_refund`,
    [
      status,
      parsed?.currency ?? null,
      cancelling ? null : (parsed?.total_price ?? null),
      parsed?.quotes.length && !priceDrift
        ? JSON.stringify(parsed.quotes)
        : null,
      num(truth.total_refund),
      ...reportedParams,
      bookingRowId,
    ]
  )
  if (cancelling) {
    // Cancelled at XCover (the customer, through the cancel link): the store refunds, as for its own cancellations.
    await recordEvent(em, "xcover.booking.cancelled", {
      order_id: String(booking.order_id),
      offer_id: String(booking.offer_id),
      booking_id:
        updated.booking_id === null ? null : String(updated.booking_id),
      reason: "xcover",
      total_refund:
        updated.total_refund === null ? null : Number(updated.total_refund),
      currency: updated.currency === null ? null : String(updated.currency),
    })
    await cancellationSettledAtXcover(em, bookingRowId)
  }
  return { result: "applied", cancelled_now: cancelling, reported }
}
