import type { SqlExecutor } from "../sql"

/** An amount in one currency (major units). Amounts in different currencies are never added up. */
export type Amount = { currency: string; amount: number }

/**
 * One UTC day of the sales report.
 * - `shown`: offers the ledger recorded that day (`xcover_offer.created_at`), every source, except
 *   offers replaced by a newer quote for the same cart line (the line changed: the shopper was
 *   shown one offer for it, the newest).
 * - `taken`: of those, the ones an order bought (status `selected`). Counted on the day the
 *   offer was recorded, not the day of the order, so that `attach_rate` = taken / shown compares
 *   the same offers. Offers on carts still open count as shown and not taken (yet).
 * - `premium_booked`: the price of the policies XCover booked (`xcover_booking.total_price`, what
 *   the shopper paid, insurance tax included), on the day the order was placed (`decided_at`),
 *   per currency. A policy cancelled later still counts here; its refund counts on its own day.
 * - `refunds`: what XCover computed to refund for the policies cancelled that day
 *   (`total_refund` of bookings `CANCELLED` at `cancelled_at`), per currency.
 */
export type SalesDay = {
  date: string
  shown: number
  taken: number
  /** taken / shown, null when nothing was shown. */
  attach_rate: number | null
  premium_booked: Amount[]
  refunds: Amount[]
}

/**
 * One plan over the range: the title of the quote the order took (XCover's plan title), or for a
 * storefront's own offer the policy name XCover booked; "Unknown plan" while neither is known.
 */
export type SalesPlan = {
  plan: string
  /** Taken offers recorded in the range (as `SalesDay.taken`). */
  taken: number
  premium_booked: Amount[]
  refunds: Amount[]
}

export type SalesTotals = Omit<SalesDay, "date">

export type SalesReport = {
  from: string
  to: string
  /** Days are UTC calendar days. */
  time_zone: "UTC"
  /** Every day of the range, in order, zeros included. */
  days: SalesDay[]
  /** Plans with a taken offer, a booking or a refund in the range; most taken first. */
  plans: SalesPlan[]
  totals: SalesTotals
}

export const UNKNOWN_PLAN = "Unknown plan"

/** taken / shown, or null when nothing was shown. */
export function attachRate(taken: number, shown: number): number | null {
  return shown > 0 ? taken / shown : null
}

/** Adds amounts up per currency (never across currencies), sorted by currency. */
export function sumByCurrency(amounts: Amount[]): Amount[] {
  const sums = new Map<string, number>()
  for (const { currency, amount } of amounts) {
    sums.set(currency, (sums.get(currency) ?? 0) + amount)
  }
  return [...sums]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, amount]) => ({ currency, amount: roundCents(amount) }))
}

/** Float sums of decimal amounts drift (0.1 + 0.2): back to the 1/10000 the ledger's prices never go below. */
function roundCents(amount: number): number {
  return Math.round(amount * 10_000) / 10_000
}

/** The range's totals, from its days. */
export function totalsOf(days: SalesDay[]): SalesTotals {
  const shown = days.reduce((sum, d) => sum + d.shown, 0)
  const taken = days.reduce((sum, d) => sum + d.taken, 0)
  return {
    shown,
    taken,
    attach_rate: attachRate(taken, shown),
    premium_booked: sumByCurrency(days.flatMap((d) => d.premium_booked)),
    refunds: sumByCurrency(days.flatMap((d) => d.refunds)),
  }
}

/**
 * The plan of a taken offer, in SQL over `o` (xcover_offer) and `b` (its xcover_booking, may be
 * absent): the title of the quote the order took, else the policy names XCover booked.
 */
const PLAN_SQL = `COALESCE(
    (SELECT NULLIF(q->>'title', '') FROM jsonb_array_elements(COALESCE(o.quotes, '[]'::jsonb)) AS q WHERE q->>'id' = o.taken_quote_id LIMIT 1),
    (SELECT NULLIF(string_agg(q->>'policy_name', ', ' ORDER BY n), '') FROM jsonb_array_elements(COALESCE(b.quotes, '[]'::jsonb)) WITH ORDINALITY AS t(q, n)),
    '${UNKNOWN_PLAN}')`

/** A JSON array of `{ currency, amount }` from the rows of `table` of one kind matching `match`. */
function amountsSql(
  table: "day_money" | "plan_money",
  match: string,
  kind: "premium" | "refund"
): string {
  return `COALESCE((SELECT json_agg(json_build_object('currency', m.currency, 'amount', m.amount::float8) ORDER BY m.currency)
    FROM ${table} m WHERE ${match} AND m.kind = '${kind}'), '[]'::json)`
}

/**
 * The whole report in ONE statement, whatever the range's length: the days come from
 * `generate_series` (every day present, zeros included), and each figure is grouped by day and
 * by plan inside the statement. The day boundaries are UTC midnights.
 */
export const SALES_REPORT_SQL = `
WITH span AS (
  SELECT d.first_day, d.last_day, d.first_day::timestamp AT TIME ZONE 'UTC' AS starts, (d.last_day + 1)::timestamp AT TIME ZONE 'UTC' AS ends
  FROM (SELECT ?::date AS first_day, ?::date AS last_day) AS d
),
offered AS (
  SELECT (o.created_at AT TIME ZONE 'UTC')::date AS day, o.status = 'selected' AS taken,
    CASE WHEN o.status = 'selected' THEN ${PLAN_SQL} END AS plan
  FROM xcover_offer o CROSS JOIN span
  LEFT JOIN xcover_booking b ON b.offer_id = o.offer_id AND b.deleted_at IS NULL
  WHERE o.deleted_at IS NULL AND o.replaced_at IS NULL AND o.created_at >= span.starts AND o.created_at < span.ends
),
money AS (
  SELECT 'premium' AS kind, (b.decided_at AT TIME ZONE 'UTC')::date AS day, b.currency, b.total_price AS amount, ${PLAN_SQL} AS plan
  FROM xcover_booking b CROSS JOIN span
  LEFT JOIN xcover_offer o ON o.offer_id = b.offer_id AND o.deleted_at IS NULL
  WHERE b.deleted_at IS NULL AND b.status = 'booked' AND b.currency IS NOT NULL AND b.total_price IS NOT NULL
    AND b.decided_at >= span.starts AND b.decided_at < span.ends
  UNION ALL
  SELECT 'refund', (b.cancelled_at AT TIME ZONE 'UTC')::date, b.currency, b.total_refund, ${PLAN_SQL}
  FROM xcover_booking b CROSS JOIN span
  LEFT JOIN xcover_offer o ON o.offer_id = b.offer_id AND o.deleted_at IS NULL
  WHERE b.deleted_at IS NULL AND b.booking_status = 'CANCELLED' AND b.currency IS NOT NULL AND b.total_refund IS NOT NULL
    AND b.cancelled_at >= span.starts AND b.cancelled_at < span.ends
),
day_offers AS (SELECT day, count(*)::int AS shown, (count(*) FILTER (WHERE taken))::int AS taken FROM offered GROUP BY day),
day_money AS (SELECT kind, day, currency, sum(amount) AS amount FROM money GROUP BY kind, day, currency),
plan_taken AS (SELECT plan, count(*)::int AS taken FROM offered WHERE taken GROUP BY plan),
plan_money AS (SELECT kind, plan, currency, sum(amount) AS amount FROM money GROUP BY kind, plan, currency),
plans AS (SELECT plan FROM plan_taken UNION SELECT plan FROM plan_money)
SELECT
  (SELECT json_agg(json_build_object(
      'date', to_char(g.day, 'YYYY-MM-DD'), 'shown', COALESCE(o.shown, 0), 'taken', COALESCE(o.taken, 0),
      'premium_booked', ${amountsSql("day_money", "m.day = g.day", "premium")}, 'refunds', ${amountsSql("day_money", "m.day = g.day", "refund")}) ORDER BY g.day)
   FROM (SELECT generate_series(first_day::timestamp, last_day::timestamp, interval '1 day')::date AS day FROM span) AS g
   LEFT JOIN day_offers o ON o.day = g.day) AS days,
  (SELECT COALESCE(json_agg(json_build_object(
      'plan', p.plan, 'taken', COALESCE(t.taken, 0),
      'premium_booked', ${amountsSql("plan_money", "m.plan = p.plan", "premium")}, 'refunds', ${amountsSql("plan_money", "m.plan = p.plan", "refund")})
      ORDER BY COALESCE(t.taken, 0) DESC, p.plan), '[]'::json)
   FROM plans p LEFT JOIN plan_taken t ON t.plan = p.plan) AS plans`

type DayRow = Omit<SalesDay, "attach_rate">

/**
 * Shown and taken offers, premium booked and refunds for every UTC day from `from` to `to`
 * (`YYYY-MM-DD`, both included, already validated) and per plan: one SQL statement.
 */
export async function salesReport(
  db: SqlExecutor,
  range: { from: string; to: string }
): Promise<SalesReport> {
  // Raw SQL: aggregates (count … FILTER, sum, GROUP BY, json_agg) over generate_series days and
  // jsonb_array_elements quotes, in one statement (SALES_REPORT_SQL).
  const [row] = await db.execute(SALES_REPORT_SQL, [range.from, range.to])
  const days = ((row?.days as DayRow[] | null) ?? []).map((d) => ({
    ...d,
    attach_rate: attachRate(d.taken, d.shown),
  }))
  return {
    from: range.from,
    to: range.to,
    time_zone: "UTC",
    days,
    plans: (row?.plans as SalesPlan[] | null) ?? [],
    totals: totalsOf(days),
  }
}
