import { generateEntityId } from "@medusajs/framework/utils"
import { DAY_MS } from "../reporting/day-range"
import type { SqlExecutor } from "../sql"
import { BookingEntity, ReadbackEntity } from "../orm"

/**
 * When a policy is read back from XCover next, after a read that found it live: every 15 minutes
 * within the hour after a webhook (XCover said something changed), then daily for the first 30
 * days (when cancellations and changes happen), then weekly for a year; null after that.
 */
export function nextReadbackInMs(input: {
  booked_at: Date
  nudged_at: Date | null
  now: Date
}): number | null {
  const sinceNudge = input.nudged_at
    ? input.now.getTime() - input.nudged_at.getTime()
    : Infinity
  if (sinceNudge < 3_600_000) {
    return 15 * 60_000
  }
  const age = input.now.getTime() - input.booked_at.getTime()
  if (age < 30 * DAY_MS) {
    return DAY_MS
  }
  return age < 365 * DAY_MS ? 7 * DAY_MS : null
}

/** A policy just booked joins the read-back schedule: first read in a day. */
export async function scheduleReadback(
  db: SqlExecutor,
  booking: { booking_row_id: string; order_id: string }
): Promise<void> {
  // Raw SQL: INSERT … ON CONFLICT DO NOTHING (a replay is a no-op), first read due on the database clock.
  await db.execute(
    `INSERT INTO xcover_readback (id, booking_row_id, order_id, status, attempts, next_attempt_at, created_at, updated_at)
     VALUES (?, ?, ?, 'pending', 0, now() + (? * interval '1 millisecond'), now(), now())
     ON CONFLICT (booking_row_id) WHERE deleted_at IS NULL DO NOTHING`,
    [
      generateEntityId(undefined, "xcrb"),
      booking.booking_row_id,
      booking.order_id,
      DAY_MS,
    ]
  )
}

/**
 * A webhook said the policy changed: its read-back is due now, retried for `retryMaxAgeMs` at
 * the retry policy's pace. A read already on its way is read again once it is back
 * (`nudged_at` later than its try), since it may have left before the change.
 */
export async function nudgeReadback(
  db: SqlExecutor,
  booking: { booking_row_id: string; order_id: string },
  retryMaxAgeMs: number
): Promise<void> {
  // Raw SQL: an upsert (INSERT … ON CONFLICT DO UPDATE) that leaves a read on its way (`sending`) as it is,
  // decided in the row itself; times on the database clock (now()).
  await db.execute(
    `INSERT INTO xcover_readback (id, booking_row_id, order_id, status, attempts, next_attempt_at, nudged_at, retry_deadline_at, created_at, updated_at)
     VALUES (?, ?, ?, 'pending', 0, now(), now(), now() + (? * interval '1 millisecond'), now(), now())
     ON CONFLICT (booking_row_id) WHERE deleted_at IS NULL DO UPDATE SET
       status = CASE WHEN xcover_readback.status = 'sending' THEN 'sending' ELSE 'pending' END,
       attempts = CASE WHEN xcover_readback.status = 'sending' THEN xcover_readback.attempts ELSE 0 END,
       next_attempt_at = now(), nudged_at = now(), retry_deadline_at = EXCLUDED.retry_deadline_at, completed_at = NULL, updated_at = now()`,
    [
      generateEntityId(undefined, "xcrb"),
      booking.booking_row_id,
      booking.order_id,
      retryMaxAgeMs,
    ]
  )
}

export type ReadbackFigures = {
  /** Policies read back at least once, and within the last 24 hours (each policy counts once: its last read). */
  policies_read: number
  read_last_24h: number
  /** Read-backs that got no answer yet (retrying) or that XCover refused (404: it does not know the policy). */
  unreadable: number
  /** Policies whose last read found XCover reporting them differently from the ledger (`reported`). */
  reported_differently: number
}

/** The read-backs' figures for the reconciler's panel: four counts through the models. */
export async function readbackFigures(
  em: SqlExecutor
): Promise<ReadbackFigures> {
  const [policiesRead, readLast24h, unreadable, reportedDifferently] =
    await Promise.all([
      em.count(ReadbackEntity, { read_at: { $ne: null } }),
      em.count(ReadbackEntity, {
        read_at: { $gt: new Date(Date.now() - DAY_MS) },
      }),
      em.count(ReadbackEntity, { status: { $in: ["retrying", "failed"] } }),
      em.count(BookingEntity, { reported: { $ne: null } }),
    ])
  return {
    policies_read: policiesRead,
    read_last_24h: readLast24h,
    unreadable,
    reported_differently: reportedDifferently,
  }
}
