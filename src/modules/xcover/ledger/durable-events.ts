import { generateEntityId } from "@medusajs/framework/utils"
import type { SqlExecutor } from "../sql"

/** The events the plugin announces, and what each carries (ids and amounts, never XCover's links). */
export type XcoverEventName =
  | "xcover.booking.confirmed"
  | "xcover.booking.failed"
  | "xcover.booking.held"
  | "xcover.booking.declined"
  | "xcover.booking.cancelled"
  | "xcover.cancellation.failed"

/** How long a publisher holds the events it took before another process may publish them. */
const PUBLISH_LEASE_MS = 30_000

/**
 * Writes an event to be published. Call it with the executor of the transaction that writes the
 * outcome it announces: both commit or neither does.
 */
export async function recordEvent(
  db: SqlExecutor,
  name: XcoverEventName,
  data: Record<string, unknown>
): Promise<string> {
  const id = generateEntityId(undefined, "xcev")
  await db.execute(
    `INSERT INTO xcover_event (id, name, data, attempts, created_at, updated_at) VALUES (?, ?, ?::jsonb, 0, now(), now())`,
    [id, name, JSON.stringify(data)]
  )
  return id
}

export type PendingEvent = {
  id: string
  name: string
  data: Record<string, unknown>
}

/** Unpublished events, oldest first, leased to this publisher (others skip them meanwhile). */
export async function claimUnpublishedEvents(
  db: SqlExecutor,
  limit: number
): Promise<PendingEvent[]> {
  const rows = await db.execute(
    `UPDATE xcover_event SET attempts = attempts + 1, lease_until = clock_timestamp() + (? * interval '1 millisecond'), updated_at = now()
     WHERE id IN (
       SELECT id FROM xcover_event
       WHERE published_at IS NULL AND deleted_at IS NULL AND (lease_until IS NULL OR lease_until < now())
       ORDER BY created_at, id LIMIT ? FOR UPDATE SKIP LOCKED)
     RETURNING id, name, data, created_at`,
    [PUBLISH_LEASE_MS, limit]
  )
  return rows
    .sort(
      (a, b) =>
        new Date(a.created_at as string).getTime() -
        new Date(b.created_at as string).getTime()
    )
    .map((r) => ({
      id: String(r.id),
      name: String(r.name),
      data: (r.data ?? {}) as Record<string, unknown>,
    }))
}

export async function markEventPublished(
  db: SqlExecutor,
  id: string
): Promise<void> {
  await db.execute(
    `UPDATE xcover_event SET published_at = now(), lease_until = NULL, last_error = NULL, updated_at = now() WHERE id = ?`,
    [id]
  )
}

/** The bus did not take it: due again at once for the next publisher (the job's, at the latest). */
export async function markEventUnpublished(
  db: SqlExecutor,
  id: string,
  error: string
): Promise<void> {
  await db.execute(
    `UPDATE xcover_event SET lease_until = NULL, last_error = ?, updated_at = now() WHERE id = ?`,
    [error.slice(0, 500), id]
  )
}

/** Events not yet taken by the bus (the settings page and the figures show a backlog). */
export async function countUnpublishedEvents(db: SqlExecutor): Promise<number> {
  const [row] = await db.execute(
    `SELECT count(*)::int AS n FROM xcover_event WHERE published_at IS NULL AND deleted_at IS NULL`
  )
  return Number(row?.n ?? 0)
}
