import { generateEntityId } from "@medusajs/framework/utils"

/** The window the per-cart limit of Create Offer calls counts in. */
export const QUOTE_WINDOW_MS = 60_000

/** The cart's window after a call was counted: whether the call is within the limit, and when the window ends. */
export type QuoteBudget = { allowed: boolean; retry_after_ms: number }

/**
 * The statement that counts one Create Offer call of a cart (shared by processes): a window
 * older than a minute starts again. Its rows come from `source` (a `SELECT` of the id and the
 * cart id, so the caller may count only when a call will be made); it returns `calls_` and
 * `left_ms_` (when the cart's window ends).
 */
export function countQuoteCallSql(source: string): string {
  const fresh = `b.window_started_at < now() - (${QUOTE_WINDOW_MS} * interval '1 millisecond')`
  return `INSERT INTO xcover_quote_budget AS b (id, cart_id, window_started_at, calls, created_at, updated_at)
     ${source}
     ON CONFLICT (cart_id) WHERE deleted_at IS NULL DO UPDATE SET
       calls = CASE WHEN ${fresh} THEN 1 ELSE b.calls + 1 END,
       window_started_at = CASE WHEN ${fresh} THEN now() ELSE b.window_started_at END,
       updated_at = now()
     RETURNING calls AS calls_,
       (extract(epoch FROM (window_started_at + (${QUOTE_WINDOW_MS} * interval '1 millisecond') - now())) * 1000)::float8 AS left_ms_`
}

export const newQuoteBudgetId = () => generateEntityId(undefined, "xcqb")

/** What `countQuoteCallSql` returned, against the limit. */
export function quoteBudgetOf(
  row: { calls_?: unknown; left_ms_?: unknown },
  limit: number
): QuoteBudget {
  return {
    allowed: Number(row.calls_ ?? 0) <= limit,
    retry_after_ms: Math.max(0, Number(row.left_ms_ ?? 0)),
  }
}
