import { describeOutcome, type XcoverOutcome } from "../client/outcome"
import type { SqlExecutor } from "../sql"
import { BookingEntity, findRows, type BookingRow } from "../orm"
import type { RetryPolicy } from "./backoff"
import { RESUME_AT_SQL, SENDING_ALLOWED_SQL } from "./dispatch-state"
import type {
  ClaimedOperation,
  ClaimInput,
  OutboxKind,
  StartedSend,
} from "./kind"

export const MS = "* interval '1 millisecond'"

/**
 * The claim protocol every outbox table shares (`pending`/`retrying` due at `next_attempt_at`,
 * `sending` leased by a token until `lease_until`, `attempts`, `retry_deadline_at`): one copy
 * of the SQL, used by each kind for its own table.
 */
export type LeasedTable = {
  table:
    | "xcover_offer"
    | "xcover_booking"
    | "xcover_cancellation"
    | "xcover_readback"
  /** When retrying started counting (the decision's time). */
  deadlineBase: "declined_at" | "decided_at" | "requested_at" | "created_at"
  /** Extra columns a kind needs of a claimed row (its subject first). */
  columns: string[]
}

export type ClaimedRow = Record<string, unknown> & {
  id: string
  deadline: Date
}

export async function claimRows(
  db: SqlExecutor,
  t: LeasedTable,
  input: ClaimInput
): Promise<ClaimedRow[]> {
  const { filter } = input
  // Raw SQL: a claim (UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) … RETURNING) that processes can
  // race on without two winning one row; the lease on the database clock (clock_timestamp()).
  const rows = await db.execute(
    `UPDATE ${t.table} AS o
     SET status = 'sending', lease_token = ?, lease_until = clock_timestamp() + (? ${MS}), updated_at = now()
     WHERE o.id IN (
       SELECT id FROM ${t.table}
       WHERE deleted_at IS NULL
         AND ((status IN ('pending', 'retrying') AND next_attempt_at <= now())
           OR (status = 'sending' AND lease_until < now()))
         ${filter.order_id ? "AND order_id = ?" : ""}
       ORDER BY next_attempt_at NULLS FIRST
       LIMIT ?
       FOR UPDATE SKIP LOCKED)
     RETURNING o.id, ${t.columns.map((c) => `o.${c}`).join(", ")}, COALESCE(o.retry_deadline_at, o.${t.deadlineBase} + (? ${MS})) AS deadline`,
    [
      input.leaseToken,
      input.leaseMs,
      ...(filter.order_id ? [filter.order_id] : []),
      input.limit,
      input.maxAgeMs,
    ]
  )
  return rows.map((r) => ({
    ...r,
    id: String(r.id),
    deadline: new Date(r.deadline as string | Date),
  }))
}

/** Counts the try and extends the lease, only if the claim still holds and sending is allowed. */
export async function startRowSend(
  db: SqlExecutor,
  t: LeasedTable,
  op: ClaimedOperation,
  leaseMs: number
): Promise<StartedSend | null> {
  // Raw SQL: one conditional UPDATE … RETURNING that checks the lease and SENDING_ALLOWED_SQL (pause, circuit)
  // with the write, on the database clock, so a pause another process just recorded stops this send.
  const [r] = await db.execute(
    `UPDATE ${t.table}
     SET attempts = attempts + 1, last_attempt_at = clock_timestamp(), lease_until = clock_timestamp() + (? ${MS}), updated_at = now()
     WHERE id = ? AND lease_token = ? AND status = 'sending' AND ${SENDING_ALLOWED_SQL}
     RETURNING attempts, (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS db_now_ms`,
    [leaseMs, op.id, op.leaseToken]
  )
  return r
    ? {
        attempt: Number(r.attempts),
        dbNowMs: Number(r.db_now_ms),
        localNowMs: Date.now(),
      }
    : null
}

/** Extends the lease without counting a try; false when the claim no longer holds. */
export async function holdRow(
  db: SqlExecutor,
  t: LeasedTable,
  op: ClaimedOperation,
  leaseMs: number
): Promise<boolean> {
  // Raw SQL: one conditional UPDATE … RETURNING (only while this lease token holds), on the database clock.
  const rows = await db.execute(
    `UPDATE ${t.table} SET lease_until = GREATEST(lease_until, clock_timestamp() + (? ${MS})), updated_at = now()
     WHERE id = ? AND lease_token = ? AND status = 'sending' RETURNING id`,
    [leaseMs, op.id, op.leaseToken]
  )
  return rows.length > 0
}

export async function releaseRow(
  db: SqlExecutor,
  t: LeasedTable,
  op: ClaimedOperation,
  { outcome, counted }: { outcome: XcoverOutcome | null; counted: boolean }
): Promise<void> {
  const attempts = counted ? "attempts - 1" : "attempts"
  // Raw SQL: one conditional UPDATE (only while this lease token holds) that takes the due time from the
  // dispatch state's pause (RESUME_AT_SQL, database clock) in the same statement.
  await db.execute(
    `UPDATE ${t.table}
     SET attempts = ${attempts}, status = CASE WHEN ${attempts} > 0 THEN 'retrying' ELSE 'pending' END,
         next_attempt_at = ${RESUME_AT_SQL}, lease_until = NULL, lease_token = NULL, updated_at = now()
         ${outcome ? ", last_status = ?, last_error = ?" : ""}
     WHERE id = ? AND lease_token = ? AND status = 'sending'`,
    [
      ...(outcome ? [outcome.status, describeOutcome(outcome)] : []),
      op.id,
      op.leaseToken,
    ]
  )
}

export async function extendRowDeadlines(
  db: SqlExecutor,
  t: LeasedTable,
  gapMs: number,
  policy: RetryPolicy
): Promise<void> {
  // Raw SQL: one set-based UPDATE that moves every waiting row's deadline from its own columns (interval
  // arithmetic); the ORM would read every row, then write each.
  await db.execute(
    `UPDATE ${t.table}
     SET retry_deadline_at = COALESCE(retry_deadline_at, ${t.deadlineBase} + (? ${MS})) + (? ${MS})
     WHERE deleted_at IS NULL AND ${t.deadlineBase} IS NOT NULL AND status IN ('pending', 'retrying', 'sending')`,
    [policy.maxAgeMs, gapMs]
  )
}

/**
 * In how many ms the table's next operation falls due (a retry's delay, a 429 pause's end, a
 * lease running out), on the database clock; null when nothing waits.
 */
export async function nextDueInMs(
  db: SqlExecutor,
  t: LeasedTable
): Promise<number | null> {
  // Raw SQL: aggregates (min) against the database clock (clock_timestamp()) in one statement.
  const [r] = await db.execute(
    `SELECT (extract(epoch FROM (min(due) - clock_timestamp())) * 1000)::float8 AS in_ms FROM (
       SELECT min(next_attempt_at) AS due FROM ${t.table} WHERE deleted_at IS NULL AND status IN ('pending', 'retrying') AND next_attempt_at IS NOT NULL
       UNION ALL
       SELECT min(lease_until) FROM ${t.table} WHERE deleted_at IS NULL AND status = 'sending') d`
  )
  return r?.in_ms === null || r?.in_ms === undefined ? null : Number(r.in_ms)
}

/**
 * The claim protocol's methods of a kind whose operations are rows of `t`: every kind spreads
 * them in and adds only its claim's fields, its request and its outcome.
 */
export function leasedRowMethods(
  t: LeasedTable
): Pick<
  OutboxKind,
  "startSend" | "holdLease" | "release" | "nextDueInMs" | "extendDeadlines"
> {
  return {
    startSend: (db, op, leaseMs) => startRowSend(db, t, op, leaseMs),
    holdLease: (db, op, leaseMs) => holdRow(db, t, op, leaseMs),
    release: (db, op, how) => releaseRow(db, t, op, how),
    nextDueInMs: (db) => nextDueInMs(db, t),
    extendDeadlines: (db, gapMs, policy) =>
      extendRowDeadlines(db, t, gapMs, policy),
  }
}

/**
 * Claims rows about a booking (`booking_row_id`: cancellations, read-backs) and reads these
 * fields of each one's booking with them: a cancellation needs the booking's XCover id and
 * quotes, a read-back its id and age.
 */
export async function claimRowsWithBookings<
  F extends keyof BookingRow & string,
>(
  db: SqlExecutor,
  t: LeasedTable,
  input: ClaimInput,
  fields: readonly F[]
): Promise<{ row: ClaimedRow; booking: Pick<BookingRow, F> | undefined }[]> {
  const rows = await claimRows(db, t, input)
  if (!rows.length) {
    return []
  }
  const bookings = await findRows(
    db,
    BookingEntity,
    { id: { $in: rows.map((r) => String(r.booking_row_id)) } },
    ["id", ...fields]
  )
  const byId = new Map(bookings.map((b) => [b.id, b]))
  return rows.map((row) => ({
    row,
    booking: byId.get(String(row.booking_row_id)),
  }))
}
