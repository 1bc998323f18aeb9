import type { OfferSource, OfferStatus } from "../models/xcover-offer"
import { raw, type ObjectQuery } from "@medusajs/framework/mikro-orm/core"
import type { SqlExecutor } from "../sql"
import { findRows, OfferEntity, type OfferRow } from "../orm"
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

/** What the log shows of each offer (`OfferLogEntry`'s fields). */
const ENTRY_FIELDS = [
  "id",
  "offer_id",
  "cart_id",
  "order_id",
  "status",
  "source",
  "attempts",
  "last_status",
  "last_error",
  "declined_at",
  "retry_deadline_at",
  "next_attempt_at",
  "last_attempt_at",
  "completed_at",
  "created_at",
  "updated_at",
] as const

/** The log's filters on the offer model: one builder serves the log, its figures and the bulk retry. */
function offerLogWhere(
  filters: Omit<OfferLogFilters, "limit" | "offset">
): ObjectQuery<OfferRow> {
  const created = {
    ...(filters.created_from ? { $gte: filters.created_from } : {}),
    ...(filters.created_to ? { $lte: filters.created_to } : {}),
  }
  return {
    ...(filters.status?.length ? { status: { $in: filters.status } } : {}),
    ...(filters.id ? { id: filters.id } : {}),
    ...(filters.order_id ? { order_id: filters.order_id } : {}),
    ...(filters.offer_id ? { offer_id: filters.offer_id } : {}),
    ...(Object.keys(created).length ? { created_at: created } : {}),
  }
}

export async function listOfferLog(
  db: SqlExecutor,
  filters: OfferLogFilters
): Promise<{ offers: OfferLogEntry[]; count: number }> {
  const where = offerLogWhere(filters)
  const [offers, count] = await Promise.all([
    findRows(db, OfferEntity, where, ENTRY_FIELDS, {
      orderBy: { created_at: "desc", id: "desc" },
      limit: filters.limit,
      offset: filters.offset,
    }),
    db.count(OfferEntity, where),
  ])
  return { offers: offers as OfferLogEntry[], count }
}

export async function offerStats(
  db: SqlExecutor,
  range: { created_from?: Date; created_to?: Date }
): Promise<OfferStats> {
  // Counted per status in the database (the model's query builder, which applies no filter:
  // soft-deleted rows are left out here).
  const rows: { status: string; count: number }[] = await db
    .createQueryBuilder(OfferEntity)
    .select(["status", raw("count(*)::int as count")])
    .where({ ...offerLogWhere(range), deleted_at: null })
    .groupBy("status")
    .execute("all", false)
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
  const matching = await findRows(
    db,
    OfferEntity,
    {
      ...offerLogWhere({ ...filters, status: statuses }),
      order_id: filters.order_id ?? { $ne: null },
    },
    ["id"]
  )
  if (!matching.length) {
    return []
  }
  // Raw SQL: one conditional UPDATE … RETURNING (still failed or rejected), so two clicks (or
  // admins) move each offer once; the new key and deadline in the same statement.
  const rows = await db.execute(
    `UPDATE xcover_offer
     SET status = 'pending', next_attempt_at = now(), retry_deadline_at = now() + (? * interval '1 millisecond'),
         lease_until = NULL, lease_token = NULL, completed_at = NULL, updated_at = now(), ${RENEW_SPENT_KEY_SQL}
     WHERE id IN (${matching.map(() => "?").join(",")}) AND status IN (${statuses.map(() => "?").join(",")})
       AND deleted_at IS NULL
     RETURNING ${ENTRY_FIELDS.join(", ")}`,
    [maxAgeMs, ...matching.map((m) => m.id), ...statuses]
  )
  return rows as OfferLogEntry[]
}
