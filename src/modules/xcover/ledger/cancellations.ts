import { MedusaError, generateEntityId } from "@medusajs/framework/utils"
import type { CancellationReason } from "../models/xcover-cancellation"
import type { SqlExecutor, SqlManager } from "../sql"
import { declineHeldSql } from "./bookings"

/**
 * Asks for the cancellation of an order's bookings (all, or those of the given offers), once
 * per booking: a booking already asked for, cancelled at XCover, or never booked (failed,
 * declined) is left alone. Due at once when booked; a booking still being confirmed is cancelled
 * as soon as it is booked. A booking held for review was never sent: it is declined instead, and
 * its offer opted out. Returns the offer ids newly asked for or declined.
 */
export async function requestCancellations(
  manager: SqlManager,
  input: { order_id: string; offer_ids?: string[]; reason: CancellationReason }
): Promise<string[]> {
  if (input.offer_ids && !input.offer_ids.length) {
    return []
  }
  const offers = input.offer_ids
    ? `AND b.offer_id IN (${input.offer_ids.map(() => "?").join(",")})`
    : ""
  // Raw SQL: data-modifying CTEs (held bookings declined; INSERT … SELECT … ON CONFLICT DO NOTHING) in one
  // statement: a repeated request is a no-op.
  const rows = await manager.execute(
    `WITH ${declineHeldSql(`b.order_id = ? ${offers}`)},
     asked AS (
       INSERT INTO xcover_cancellation (id, booking_row_id, offer_id, order_id, reason, status, attempts, requested_at, next_attempt_at, created_at, updated_at)
       SELECT 'xcx_' || b.id, b.id, b.offer_id, b.order_id, ?, 'pending', 0, now(),
              CASE WHEN b.status = 'booked' THEN now() ELSE NULL END, now(), now()
       FROM xcover_booking b
       WHERE b.order_id = ? AND b.deleted_at IS NULL AND b.status NOT IN ('failed', 'held', 'declined') AND b.booking_status IS DISTINCT FROM 'CANCELLED'
         ${offers}
       ON CONFLICT (booking_row_id) WHERE deleted_at IS NULL DO NOTHING
       RETURNING offer_id)
     SELECT offer_id FROM declined UNION ALL SELECT offer_id FROM asked`,
    [
      `Declined: ${DECLINE_REASONS[input.reason]}`,
      input.order_id,
      ...(input.offer_ids ?? []),
      input.reason,
      input.order_id,
      ...(input.offer_ids ?? []),
    ]
  )
  return rows.map((r) => String(r.offer_id))
}

/** Why a held booking was declined instead of cancelled, by the cancellation's reason. */
const DECLINE_REASONS: Record<CancellationReason, string> = {
  order_canceled: "the order was cancelled before the booking was reviewed",
  returned: "the cover was returned before the booking was reviewed",
  order_edited: "the order no longer holds the cover",
  admin: "a cancellation was asked for by hand before the booking was reviewed",
}

/** A booking just became booked: its waiting cancellation (if the order was cancelled meanwhile) is due. */
export async function wakeCancellation(
  db: SqlExecutor,
  bookingRowId: string
): Promise<boolean> {
  // Raw SQL: one conditional UPDATE … RETURNING (still waiting: next_attempt_at IS NULL), so the transition
  // is atomic across processes (the ORM would read, then write).
  const rows = await db.execute(
    `UPDATE xcover_cancellation SET next_attempt_at = now(), updated_at = now()
     WHERE booking_row_id = ? AND status = 'pending' AND next_attempt_at IS NULL AND deleted_at IS NULL
     RETURNING id`,
    [bookingRowId]
  )
  return rows.length > 0
}

/**
 * Level-triggered repair, run by the job: a cancellation asked for while its booking was still
 * being confirmed waits, with no due time, for `wakeCancellation`. If the two interleaved (the
 * request read the booking before the completion committed, the completion looked for waiting
 * cancellations before the request committed) or the process died between them, nothing would
 * ever make it due: this makes every waiting cancellation of a booked booking due now.
 */
export async function wakeWaitingCancellations(
  db: SqlExecutor
): Promise<number> {
  // Raw SQL: one set-based UPDATE … FROM xcover_booking (a join in the UPDATE), conditional on both rows.
  const rows = await db.execute(
    `UPDATE xcover_cancellation c SET next_attempt_at = now(), updated_at = now()
     FROM xcover_booking b
     WHERE b.id = c.booking_row_id AND b.status = 'booked' AND b.deleted_at IS NULL
       AND c.status = 'pending' AND c.next_attempt_at IS NULL AND c.deleted_at IS NULL
     RETURNING c.id`
  )
  return rows.length
}

/**
 * Asks for one booking's cancellation by hand (admin), the booking read and checked by the
 * caller (booked, not cancelled at XCover); 409 when one was asked for already.
 */
export async function requestBookingCancellation(
  manager: SqlManager,
  booking: { id: string; order_id: string; offer_id: string }
): Promise<{ order_id: string; offer_id: string }> {
  const bookingRowId = booking.id
  // Raw SQL: INSERT … ON CONFLICT DO NOTHING RETURNING: one cancellation per booking, a second request gets
  // no row (409).
  const rows = await manager.execute(
    `INSERT INTO xcover_cancellation (id, booking_row_id, offer_id, order_id, reason, status, attempts, requested_at, next_attempt_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'admin', 'pending', 0, now(), now(), now(), now())
     ON CONFLICT (booking_row_id) WHERE deleted_at IS NULL DO NOTHING
     RETURNING id`,
    [
      generateEntityId(undefined, "xcx"),
      bookingRowId,
      booking.offer_id,
      booking.order_id,
    ]
  )
  if (!rows.length) {
    throw new MedusaError(
      MedusaError.Types.CONFLICT,
      "This policy's cancellation was asked for already"
    )
  }
  return {
    order_id: String(booking.order_id),
    offer_id: String(booking.offer_id),
  }
}

/** A failed cancellation goes back to pending, due now, previewing again (a preview expires). */
export async function requeueCancellation(
  manager: SqlManager,
  bookingRowId: string,
  maxAgeMs: number
): Promise<{ order_id: string }> {
  // Raw SQL: one conditional UPDATE … RETURNING (only a failed one), the new deadline on the database clock.
  const [row] = await manager.execute(
    `UPDATE xcover_cancellation
     SET status = 'pending', attempts = 0, cancellation_id = NULL, confirm_before = NULL, next_attempt_at = now(), completed_at = NULL,
         retry_deadline_at = now() + (? * interval '1 millisecond'), updated_at = now()
     WHERE booking_row_id = ? AND status = 'failed' AND deleted_at IS NULL
     RETURNING order_id`,
    [maxAgeMs, bookingRowId]
  )
  if (!row) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      "Only a failed cancellation can be retried"
    )
  }
  return { order_id: String(row.order_id) }
}

/**
 * XCover says the booking is cancelled (a webhook or a read-back): a cancellation still waiting
 * to be sent has nothing left to do.
 */
export async function cancellationSettledAtXcover(
  em: SqlExecutor,
  bookingRowId: string
): Promise<void> {
  // Raw SQL: one conditional UPDATE (pending or retrying only: a claimed one is left to finish), so it never
  // overwrites a claim a dispatcher takes meanwhile (the ORM would read, then write).
  await em.execute(
    `UPDATE xcover_cancellation
     SET status = 'cancelled', last_error = 'cancelled at XCover (read back)', next_attempt_at = NULL, completed_at = now(), updated_at = now()
     WHERE booking_row_id = ? AND status IN ('pending', 'retrying') AND deleted_at IS NULL`,
    [bookingRowId]
  )
}
