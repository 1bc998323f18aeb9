import { parseBooking } from "../client/booking"
import { describeOutcome } from "../client/outcome"
import { nextReadbackInMs } from "../ledger/readbacks"
import type { ReportedDrift } from "../ledger/reported-drift"
import { applyBookingTruth } from "../ledger/webhook-events"
import { completedStatus, type ClaimedOperation, type OutboxKind } from "./kind"
import {
  leasedRowMethods,
  claimRowsWithBookings,
  MS,
  type LeasedTable,
} from "./leased-rows"

export type ClaimedReadback = ClaimedOperation & {
  bookingRowId: string
  bookingId: string | null
  orderId: string
  bookedAt: Date
  nudgedAt: Date | null
}

/** What a read-back found (a cancellation's event was written with it). */
export type ReadbackSettled =
  | {
      kind: "read-back"
      status: "read"
      order_id: string
      booking_id: string
      cancelled_now: boolean
      reported: ReportedDrift | null
    }
  | {
      kind: "read-back"
      status: "failed"
      order_id: string
      booking_id: string | null
      reason: string
    }

const READBACKS: LeasedTable = {
  table: "xcover_readback",
  deadlineBase: "created_at",
  columns: ["booking_row_id", "order_id", "nudged_at"],
}

class LeaseLost extends Error {}

/** After its retries, an unreadable policy is read again this often: a read-back never gives up. */
const GIVEN_UP_RETRY_MS = 3_600_000

/**
 * Read-backs: XCover is the other side of the books. Each booked policy is read (signed Get
 * Booking) after every webhook and on a schedule (`nextReadbackInMs`), through the same
 * dispatcher, budget, pause and circuit as every other call; the answer is applied as a
 * webhook's would be (`applyBookingTruth`): a policy cancelled at XCover is cancelled here and
 * its refund announced. Unreadable (no answer, 5xx, 429): retried, then hourly, never dropped.
 * 404 (XCover does not know the policy): `failed`, drift for a person to look at.
 */
export const readbackKind: OutboxKind<ClaimedReadback> = {
  name: "read-back",
  bucket: "default",
  ...leasedRowMethods(READBACKS),

  async claim(db, input) {
    const claimed = await claimRowsWithBookings(db, READBACKS, input, [
      "booking_id",
      "created_at",
    ])
    return claimed.map(({ row: r, booking }) => {
      return {
        id: r.id,
        subject: booking?.booking_id
          ? String(booking.booking_id)
          : String(r.booking_row_id),
        bookingRowId: String(r.booking_row_id),
        bookingId: booking?.booking_id ? String(booking.booking_id) : null,
        orderId: String(r.order_id),
        bookedAt: booking
          ? new Date(booking.created_at as string | Date)
          : new Date(),
        nudgedAt: r.nudged_at ? new Date(r.nudged_at as string | Date) : null,
        leaseToken: input.leaseToken,
        deadline: r.deadline,
      }
    })
  },

  async send(client, settings, op) {
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
    return client.getBooking(settings, op.bookingId)
  },

  async complete(db, op, { outcome, body }, next) {
    const status = completedStatus(outcome, next)
    if (status === "done" && parseBooking(body)) {
      // The booking is locked first (as a webhook does), then this read's row: never the other way round.
      const applied = await db
        .transactional(async (tx) => {
          const truth = await applyBookingTruth(tx, op.bookingRowId, body)
          // A cancelled policy is read no more, unless XCover holds it live: read on until it agrees.
          const finished =
            truth.cancelled_now ||
            (truth.result !== "applied" && !truth.reported)
          const nextInMs = finished
            ? null
            : nextReadbackInMs({
                booked_at: op.bookedAt,
                nudged_at: op.nudgedAt,
                now: new Date(),
              })
          // A webhook that came while this read was on its way may name a later change: read again at once.
          const nudged =
            "nudged_at IS NOT NULL AND last_attempt_at IS NOT NULL AND nudged_at > last_attempt_at"
          // Raw SQL: one conditional UPDATE … RETURNING (only while this lease token holds), the next read and the
          // nudged_at check computed in the row on the database clock (now()).
          const updated = await tx.execute(
            `UPDATE xcover_readback
               SET status = CASE WHEN ${finished ? "false" : nudged} OR ?::float8 IS NOT NULL THEN 'pending' ELSE 'done' END,
                   next_attempt_at = CASE WHEN ${finished ? "false" : nudged} THEN now()
                                          WHEN ?::float8 IS NOT NULL THEN now() + (?::float8 ${MS}) ELSE NULL END,
                   completed_at = CASE WHEN ${finished ? "false" : nudged} OR ?::float8 IS NOT NULL THEN NULL ELSE now() END,
                   last_status = ?, last_error = NULL, attempts = 0, read_at = now(), retry_deadline_at = NULL,
                   lease_until = NULL, lease_token = NULL, updated_at = now()
               WHERE id = ? AND lease_token = ? AND status = 'sending'
               RETURNING id`,
            [
              nextInMs,
              nextInMs,
              nextInMs,
              nextInMs,
              outcome.status,
              op.id,
              op.leaseToken,
            ]
          )
          if (!updated.length) {
            // Taken over meanwhile: nothing of this read is kept.
            throw new LeaseLost()
          }
          return truth
        })
        .catch((err: unknown) => {
          if (err instanceof LeaseLost) {
            return null
          }
          throw err
        })
      if (!applied) {
        return null
      }
      return {
        status: "done",
        settled: {
          kind: "read-back",
          status: "read",
          order_id: op.orderId,
          booking_id: op.bookingId ?? op.subject,
          cancelled_now: applied.cancelled_now,
          reported: applied.reported,
        },
      }
    }
    if (status === "retrying" || status === "failed") {
      // Not readable now: again after the retry's delay, or hourly once retries ran out.
      // Raw SQL: one conditional UPDATE … RETURNING (only while this lease token holds), the hourly retry on the
      // database clock (now()).
      const updated = await db.execute(
        `UPDATE xcover_readback
           SET status = 'retrying', last_status = ?, last_error = ?, lease_until = NULL, lease_token = NULL,
               next_attempt_at = COALESCE(?, now() + (? ${MS})), updated_at = now()
           WHERE id = ? AND lease_token = ? AND status = 'sending'
           RETURNING id`,
        [
          outcome.status,
          describeOutcome(outcome),
          next.nextAttemptAt,
          GIVEN_UP_RETRY_MS,
          op.id,
          op.leaseToken,
        ]
      )
      return updated.length ? { status: "retrying" } : null
    }
    // Refused (404: XCover does not know the policy), or a 2xx without a booking: drift, for a person.
    const reason =
      status === "done"
        ? "XCover's answer carried no booking"
        : describeOutcome(outcome)
    const written = await db.transactional(async (tx) => {
      // Raw SQL: one conditional UPDATE … RETURNING (only while this lease token holds), so a lapsed lease writes
      // nothing (the ORM would read, then write).
      const updated = await tx.execute(
        `UPDATE xcover_readback
           SET status = 'failed', last_status = ?, last_error = ?, lease_until = NULL, lease_token = NULL, next_attempt_at = NULL,
               completed_at = now(), updated_at = now()
           WHERE id = ? AND lease_token = ? AND status = 'sending'
           RETURNING id`,
        [outcome.status, reason, op.id, op.leaseToken]
      )
      return updated.length > 0
    })
    if (!written) {
      return null
    }
    return {
      status: "rejected",
      settled: {
        kind: "read-back",
        status: "failed",
        order_id: op.orderId,
        booking_id: op.bookingId,
        reason,
      },
    }
  },
}
