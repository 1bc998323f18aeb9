import { generateEntityId } from "@medusajs/framework/utils"
import type { SqlExecutor } from "../sql"

/** The window the per-cart limit of Create Offer calls counts in. */
export const QUOTE_WINDOW_MS = 60_000

/**
 * Counts one Create Offer call of a cart against its limit per minute, in one statement (so
 * processes share it): a window older than a minute starts again. `retry_after_ms` says when
 * the cart's window ends.
 */
export async function takeQuoteCall(em: SqlExecutor, cartId: string, limit: number): Promise<{ allowed: boolean; retry_after_ms: number }> {
  const fresh = `b.window_started_at < now() - (${QUOTE_WINDOW_MS} * interval '1 millisecond')`
  const [row] = await em.execute(
    `INSERT INTO xcover_quote_budget AS b (id, cart_id, window_started_at, calls, created_at, updated_at)
     VALUES (?, ?, now(), 1, now(), now())
     ON CONFLICT (cart_id) WHERE deleted_at IS NULL DO UPDATE SET
       calls = CASE WHEN ${fresh} THEN 1 ELSE b.calls + 1 END,
       window_started_at = CASE WHEN ${fresh} THEN now() ELSE b.window_started_at END,
       updated_at = now()
     RETURNING calls,
       (extract(epoch FROM (window_started_at + (${QUOTE_WINDOW_MS} * interval '1 millisecond') - now())) * 1000)::float8 AS left_ms`,
    [generateEntityId(undefined, "xcqb"), cartId]
  )
  return { allowed: Number(row?.calls ?? 0) <= limit, retry_after_ms: Math.max(0, Number(row?.left_ms ?? 0)) }
}
