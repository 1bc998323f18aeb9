import type { OfferSource, OfferStatus } from "../models/xcover-offer"
import type { SqlExecutor } from "../sql"
import { RENEW_SPENT_KEY_SQL } from "../ledger/idempotency-keys"

/** One ledger row as the admin's opt-out log shows it. */
export type OfferLogEntry = {
  id: string
  offer_id: string
  cart_id: string
  order_id: string | null
  status: OfferStatus
  source: OfferSource
  attempts: number
  last_status: number | null
  last_error: string | null
  declined_at: Date | null
  /** When retrying stops (null until set: then declined_at + retry.maxAgeMs). */
  retry_deadline_at: Date | null
  next_attempt_at: Date | null
  last_attempt_at: Date | null
  completed_at: Date | null
  created_at: Date
  updated_at: Date
}

export type OfferLogFilters = {
  id?: string
  status?: OfferStatus[]
  order_id?: string
  offer_id?: string
  /** On `created_at` (when the offer was recorded), inclusive. */
  created_from?: Date
  created_to?: Date
  limit: number
  offset: number
}

/** Conversion figures over offers recorded in a period. */
export type OfferStats = {
  shown: number
  taken: number
  opted_out: number
  /** pending, sending and retrying: declined, opt-out not confirmed yet. */
  pending: number
  failed: number
  rejected: number
  /** Still on an open cart: neither taken nor declined yet. */
  undecided: number
  /** taken / shown, null when nothing was shown. */
  attach_rate: number | null
}

const ENTRY_COLUMNS =
  "id, offer_id, cart_id, order_id, status, source, attempts, last_status, last_error, declined_at, retry_deadline_at, next_attempt_at, last_attempt_at, completed_at, created_at, updated_at"

function where(filters: Omit<OfferLogFilters, "limit" | "offset">): {
  sql: string
  params: unknown[]
} {
  const parts = ["deleted_at IS NULL"]
  const params: unknown[] = []
  if (filters.status?.length) {
    parts.push(`status IN (${filters.status.map(() => "?").join(", ")})`)
    params.push(...filters.status)
  }
  for (const [column, value] of [
    ["id", filters.id],
    ["order_id", filters.order_id],
    ["offer_id", filters.offer_id],
  ] as const) {
    if (value) {
      parts.push(`${column} = ?`)
      params.push(value)
    }
  }
  if (filters.created_from) {
    parts.push("created_at >= ?")
    params.push(filters.created_from)
  }
  if (filters.created_to) {
    parts.push("created_at <= ?")
    params.push(filters.created_to)
  }
  return { sql: parts.join(" AND "), params }
}

export async function listOfferLog(
  db: SqlExecutor,
  filters: OfferLogFilters
): Promise<{ offers: OfferLogEntry[]; count: number }> {
  const { sql, params } = where(filters)
  // Raw SQL: one filter builder (`where`) serves the log, its figures and the bulk retry, so a
  // retry moves exactly the rows the log shows under the same filters.
  const [{ count }] = await db.execute(
    `SELECT count(*)::int AS count FROM xcover_offer WHERE ${sql}`,
    params
  )
  const rows = await db.execute(
    `SELECT ${ENTRY_COLUMNS} FROM xcover_offer WHERE ${sql} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
    [...params, filters.limit, filters.offset]
  )
  return { offers: rows as OfferLogEntry[], count: Number(count) }
}

export async function offerStats(
  db: SqlExecutor,
  range: { created_from?: Date; created_to?: Date }
): Promise<OfferStats> {
  const { sql, params } = where(range)
  // Raw SQL: an aggregate (count per status) in one statement.
  const rows = await db.execute(
    `SELECT status, count(*)::int AS count FROM xcover_offer WHERE ${sql} GROUP BY status`,
    params
  )
  const by = Object.fromEntries(
    rows.map((r) => [String(r.status), Number(r.count)])
  ) as Partial<Record<OfferStatus, number>>
  const n = (...statuses: OfferStatus[]) =>
    statuses.reduce((sum, s) => sum + (by[s] ?? 0), 0)
  const shown = rows.reduce((sum, r) => sum + Number(r.count), 0)
  const taken = n("selected")
  return {
    shown,
    taken,
    opted_out: n("opted_out"),
    pending: n("pending", "sending", "retrying"),
    failed: n("failed"),
    rejected: n("rejected"),
    undecided: n("shown"),
    attach_rate: shown ? taken / shown : null,
  }
}

/** Statuses a store owner may send again by hand (final states that did not succeed). */
export const RETRYABLE_BY_HAND: OfferStatus[] = ["failed", "rejected"]

/**
 * Puts the failed and rejected offers that match the filters back into the outbox: due now,
 * with a fresh retry deadline (`maxAgeMs` from now; `declined_at` stays the order's). One
 * conditional statement, so a double click (or two admins) moves each offer once and a
 * concurrent sender is never disturbed. Returns the offers as they are afterwards.
 */
export async function requeueOffers(
  db: SqlExecutor,
  filters: Omit<OfferLogFilters, "limit" | "offset">,
  maxAgeMs: number
): Promise<OfferLogEntry[]> {
  const statuses = RETRYABLE_BY_HAND.filter(
    (s) => !filters.status?.length || filters.status.includes(s)
  )
  if (!statuses.length) {
    return []
  }
  const { sql, params } = where({ ...filters, status: statuses })
  // Raw SQL: one conditional UPDATE … RETURNING, so two clicks (or admins) move each offer once.
  const rows = await db.execute(
    `UPDATE xcover_offer
     SET status = 'pending', next_attempt_at = now(), retry_deadline_at = now() + (? * interval '1 millisecond'),
         lease_until = NULL, lease_token = NULL, completed_at = NULL, updated_at = now(), ${RENEW_SPENT_KEY_SQL}
     WHERE ${sql} AND order_id IS NOT NULL
     RETURNING ${ENTRY_COLUMNS}`,
    [maxAgeMs, ...params]
  )
  return rows as OfferLogEntry[]
}
