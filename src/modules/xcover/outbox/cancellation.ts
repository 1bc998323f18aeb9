import {
  alreadyCancelled,
  parseBooking,
  parseRefund,
  type XcoverRefund,
} from "../client/booking"
import { describeOutcome } from "../client/outcome"
import type { CancelRequest } from "../client/xcover-client"
import type { CancellationReason } from "../models/xcover-cancellation"
import type { SqlManager } from "../sql"
import { recordEvent } from "../ledger/durable-events"
import { recordBookingEvent } from "../ledger/booking-events"
import {
  completedStatus,
  NOT_SENT,
  type ClaimedOperation,
  type Completion,
  type OutboxKind,
} from "./kind"
import {
  leasedRowMethods,
  claimRowsWithBookings,
  type LeasedTable,
} from "./leased-rows"

export type ClaimedCancellation = ClaimedOperation & {
  bookingRowId: string
  bookingId: string | null
  cancellationId: string | null
  orderId: string
  /** The booking's quote ids, cancelled with the reason below. */
  quoteIds: string[]
  reason: string
}

/** The reason XCover records for each cancelled quote (`reason_for_cancellation`). */
const REASON_TEXT: Record<CancellationReason, string> = {
  order_canceled: "Order cancelled in the store",
  returned: "Covered item or cover returned to the store",
  order_edited: "Cover removed from the order by an order edit",
  admin: "Cancelled by the merchant",
}

/** The quotes of a Cancel Booking request, each with the reason for cancelling it. */
export function cancelQuotes(
  quoteIds: string[],
  reason: string
): CancelRequest["quotes"] {
  const text = REASON_TEXT[reason as CancellationReason] ?? reason
  return quoteIds.map((id) => ({ id, reason_for_cancellation: text }))
}

/** A booking XCover cancelled on the plugin's request, with the refund it computed. */
export type CancellationSettled =
  | {
      kind: "cancellation"
      status: "cancelled"
      order_id: string
      offer_id: string
      booking_id: string | null
      reason: string
      total_refund: number | null
      currency: string | null
      refund: XcoverRefund["quotes"]
    }
  | {
      kind: "cancellation"
      status: "failed"
      order_id: string
      offer_id: string
      booking_id: string | null
      reason: string
    }

const CANCELLATIONS: LeasedTable = {
  table: "xcover_cancellation",
  deadlineBase: "requested_at",
  columns: [
    "offer_id",
    "order_id",
    "booking_row_id",
    "cancellation_id",
    "reason",
  ],
}

/**
 * Cancellations, XCover's two steps through the outbox: a preview (no change at XCover; it
 * answers the refund and a `cancellation_id`, kept on the row), then `confirm_cancellation`
 * with that id. Two steps because cancelling has no idempotency key and cannot be undone: the
 * refund is known and stored before the irreversible call, and a confirmation whose answer is
 * lost is retried safely.
 *
 * A preview is a preview whatever its `status`: XCover answers it `CANCELLED` (the status the
 * booking would have; captured live, cancel-twostep-preview). The cancellation is done only by
 * - `confirm_cancellation`'s 2xx (cancel-twostep-confirm),
 * - XCover's refusal "Status change not allowed for QuotePackage in status CANCELLED" (in
 *   `errors`; cancel-repeat): cancelled already, by our lost answer or the customer, or
 * - Get Booking saying `CANCELLED`, read when a confirmation is refused otherwise (an expired
 *   or unknown preview).
 * Each request (Get Booking included) takes one slot of the shared rate budget.
 */
export const cancellationKind: OutboxKind<ClaimedCancellation> = {
  name: "cancellation",
  bucket: "default",
  ...leasedRowMethods(CANCELLATIONS),

  async claim(db, input) {
    // The booking's XCover id (known once booked: only then is a cancellation due).
    const claimed = await claimRowsWithBookings(db, CANCELLATIONS, input, [
      "booking_id",
      "quotes",
    ])
    return claimed.map(({ row: r, booking }) => {
      const quotes = Array.isArray(booking?.quotes)
        ? (booking.quotes as { id?: unknown }[])
        : []
      return {
        id: r.id,
        subject: String(r.offer_id),
        orderId: String(r.order_id),
        bookingRowId: String(r.booking_row_id),
        bookingId: booking?.booking_id ? String(booking.booking_id) : null,
        quoteIds: quotes.flatMap((q) =>
          typeof q.id === "string" ? [q.id] : []
        ),
        reason: String(r.reason),
        cancellationId:
          r.cancellation_id === null ? null : String(r.cancellation_id),
        leaseToken: input.leaseToken,
        deadline: r.deadline,
      }
    })
  },

  async send(client, settings, op, another) {
    if (!op.bookingId) {
      return {
        outcome: {
          kind: "rejected",
          status: null,
          type: "not_booked",
          message: "the booking has no XCover booking id",
          retryAfterMs: null,
        },
        body: null,
      }
    }
    if (!op.cancellationId) {
      return client.cancelBooking(settings, op.bookingId, {
        preview: true,
        quotes: cancelQuotes(op.quoteIds, op.reason),
      })
    }
    const answer = await client.confirmCancellation(
      settings,
      op.bookingId,
      op.cancellationId
    )
    if (
      answer.outcome.kind !== "rejected" ||
      alreadyCancelled(answer.outcome)
    ) {
      return answer
    }
    // Refused otherwise (an expired or unknown preview, say): XCover's booking tells whether it
    // is cancelled all the same; if so, that answer settles it. The read takes a slot of its own;
    // not sent soon (a long pause, the circuit opened), both steps are tried again later.
    const bookingId = op.bookingId
    const read = await another((c) => c.getBooking(settings, bookingId))
    if (read.outcome.type === NOT_SENT) {
      return read
    }
    return read.outcome.kind === "done" &&
      parseBooking(read.body)?.booking_status === "CANCELLED"
      ? read
      : answer
  },

  async complete(db, op, answer, next) {
    const { outcome, body } = answer
    const confirming = op.cancellationId !== null
    if (alreadyCancelled(outcome)) {
      // Cancelled already (our lost answer, or the customer through XCover's cancel link).
      return cancelled(db, op, null, outcome.status)
    }
    if (outcome.kind === "done") {
      const refund = parseRefund(body)
      if (confirming) {
        return cancelled(db, op, refund, outcome.status)
      }
      if (!refund?.cancellation_id) {
        const why = "XCover's cancellation preview had no cancellation_id"
        if (!(await finish(db, op, "failed", outcome.status, why, null))) {
          return null
        }
        return { status: "rejected", settled: failedSettled(op, why) }
      }
      // Previewed: the refund goes on the booking now, the confirmation is due at once.
      // Raw SQL: a data-modifying CTE (WITH … UPDATE … RETURNING): the cancellation moved (only while this lease
      // token holds) and the refund written on its booking in one statement.
      const updated = await db.execute(
        `WITH c AS (
             UPDATE xcover_cancellation
             SET status = 'pending', cancellation_id = ?, confirm_before = ?, last_status = ?, last_error = NULL,
                 next_attempt_at = now(), lease_until = NULL, lease_token = NULL, updated_at = now()
             WHERE id = ? AND lease_token = ? AND status = 'sending'
             RETURNING booking_row_id)
           UPDATE xcover_booking b SET total_refund = ?, refund = ?::jsonb, updated_at = now()
           FROM c WHERE b.id = c.booking_row_id
           RETURNING b.id`,
        [
          refund.cancellation_id,
          refund.confirm_before,
          outcome.status,
          op.id,
          op.leaseToken,
          refund.total_refund,
          JSON.stringify(refund.quotes),
        ]
      )
      return updated.length ? { status: "retrying" } : null
    }
    const status = completedStatus(outcome, next)
    const why =
      confirming && outcome.status === 404
        ? `${describeOutcome(outcome)} (a previewed cancellation expires after about a day; retry it from the admin to preview again)`
        : describeOutcome(outcome)
    const ok = await finish(
      db,
      op,
      status === "retrying" ? "retrying" : "failed",
      outcome.status,
      why,
      status === "retrying" ? next.nextAttemptAt : null
    )
    if (!ok) {
      return null
    }
    return status === "retrying"
      ? { status }
      : { status, settled: failedSettled(op, why) }
  },
}

function failedSettled(
  op: ClaimedCancellation,
  reason: string
): CancellationSettled {
  return {
    kind: "cancellation",
    status: "failed",
    order_id: op.orderId,
    offer_id: op.subject,
    booking_id: op.bookingId,
    reason,
  }
}

/** Cancelled at XCover: written with the booking's history and its event; null when the claim no longer held. */
async function cancelled(
  db: SqlManager,
  op: ClaimedCancellation,
  refund: XcoverRefund | null,
  httpStatus: number | null
): Promise<Completion | null> {
  // The outcome, the booking's history and the event the store refunds from commit together.
  const settled = await db.transactional(async (tx) => {
    // Raw SQL: a data-modifying CTE: the cancellation settled (only while this lease token holds) and its booking
    // marked CANCELLED in one statement, RETURNING what the event needs.
    const [changed] = await tx.execute(
      `WITH c AS (
           UPDATE xcover_cancellation
           SET status = 'cancelled', last_status = ?, last_error = NULL, next_attempt_at = NULL, lease_until = NULL, lease_token = NULL,
               completed_at = now(), updated_at = now()
           WHERE id = ? AND lease_token = ? AND status = 'sending'
           RETURNING booking_row_id, reason)
         UPDATE xcover_booking b
         SET booking_status = 'CANCELLED', cancelled_at = COALESCE(b.cancelled_at, now()),
             total_refund = COALESCE(?, b.total_refund), refund = COALESCE(?::jsonb, b.refund), updated_at = now()
         FROM c WHERE b.id = c.booking_row_id
         RETURNING b.id, b.booking_id, b.currency, b.total_refund::float8 AS total_refund, b.refund, c.reason`,
      [
        httpStatus,
        op.id,
        op.leaseToken,
        refund?.total_refund ?? null,
        refund?.quotes.length ? JSON.stringify(refund.quotes) : null,
      ]
    )
    if (!changed) {
      return null
    }
    await recordBookingEvent(tx, {
      booking_row_id: op.bookingRowId,
      source: "cancellation",
      event: "CANCELLED",
      payload: { reason: changed.reason, refund },
    })
    const data = {
      order_id: op.orderId,
      offer_id: op.subject,
      booking_id:
        changed.booking_id === null ? null : String(changed.booking_id),
      reason: String(changed.reason),
      total_refund:
        changed.total_refund === null ? null : Number(changed.total_refund),
      currency: changed.currency === null ? null : String(changed.currency),
      refund: (changed.refund as XcoverRefund["quotes"] | null) ?? [],
    }
    await recordEvent(tx, "xcover.booking.cancelled", data)
    const settled: CancellationSettled = {
      kind: "cancellation",
      status: "cancelled",
      ...data,
    }
    return settled
  })
  return settled ? { status: "done", settled } : null
}

async function finish(
  db: SqlManager,
  op: ClaimedCancellation,
  status: "retrying" | "failed",
  httpStatus: number | null,
  error: string,
  nextAttemptAt: Date | null
): Promise<boolean> {
  return db.transactional(async (tx) => {
    // Raw SQL: one conditional UPDATE … RETURNING (only while this lease token holds), so a lapsed lease writes
    // nothing (the ORM would read, then write).
    const updated = await tx.execute(
      `UPDATE xcover_cancellation
       SET status = ?, last_status = ?, last_error = ?, next_attempt_at = ?, lease_until = NULL, lease_token = NULL,
           completed_at = ${status === "failed" ? "now()" : "NULL"}, updated_at = now()
       WHERE id = ? AND lease_token = ? AND status = 'sending'
       RETURNING id`,
      [status, httpStatus, error, nextAttemptAt, op.id, op.leaseToken]
    )
    if (updated.length && status === "failed") {
      await recordEvent(tx, "xcover.cancellation.failed", {
        order_id: op.orderId,
        offer_id: op.subject,
        booking_id: op.bookingId,
        reason: error,
      })
    }
    return updated.length > 0
  })
}
