import { generateEntityId } from "@medusajs/framework/utils"
import type { SqlExecutor } from "../sql"
import { RecoveryCursorEntity } from "../orm"
import { readbackFigures, type ReadbackFigures } from "../ledger/readbacks"

/**
 * A place in the orders sorted by (created_at, id) (`orders`: recovery of lost `order.placed`),
 * or by (updated_at, id) (`changed_orders`: the reconciliation of orders changed since): every
 * order up to it has been looked at. The time travels in `created_at` for both.
 */
export type OrderPosition = { created_at: Date; id: string }

/** The reconciler's cursors: orders changed since the last pass, and the full pass over live policies. */
export type ReconcileCursorName = "changed_orders" | "full_pass"

/** The cursors over orders, one row each in `xcover_recovery_cursor`. */
export type OrderCursorName = "orders" | ReconcileCursorName

/** A full pass starts this long after the last one reached its end. */
export const FULL_PASS_EVERY_MS = 24 * 3600_000

/** Where a cursor starts on its first run (minus the grace window). */
const FIRST_POSITION_SQL: Record<OrderCursorName, string> = {
  // A store upgrading from the offer scan recovers every order still pending, however old.
  orders:
    "(SELECT min(created_at) FROM xcover_offer WHERE status = 'shown' AND deleted_at IS NULL)",
  // Every order that ever had a booking is reconciled once.
  changed_orders:
    "(SELECT min(created_at) FROM xcover_booking WHERE deleted_at IS NULL)",
  // Walks order ids, not times: the position's time is unused.
  full_pass: "now()",
}

/** When a cursor may be taken: a full pass only while one runs or once its interval is over. */
const DUE_SQL: Record<OrderCursorName, string> = {
  orders: "true",
  changed_orders: "true",
  full_pass: `(after_id <> '' OR completed_at IS NULL OR completed_at < now() - (${FULL_PASS_EVERY_MS} * interval '1 millisecond'))`,
}

export type ClaimedCursor = {
  after: OrderPosition
  /** Orders created after this (database clock minus the grace window) wait for a later run. */
  up_to: Date
}

/**
 * How long after its `created_at` an order is assumed committed and visible. `created_at` is
 * stamped by the process that creates the order before its transaction commits, so an order can
 * appear after a later one; the cursor stays this far behind the clock and never passes an
 * order that may still be uncommitted (also covers clock skew between instances).
 */
export const RECOVERY_GRACE_MS = 2 * 60_000

/** One process moves the cursor at a time; renewed on every page, taken over if it lapses. */
export const RECOVERY_LEASE_MS = 5 * 60_000

/**
 * Takes the cursor for this run, creating it on the first run: it then starts at the oldest
 * offer still `shown` (minus the grace window), so a store upgrading from the offer scan
 * recovers every order still pending, however old, or at now when there is none. Null while
 * another process holds it.
 */
export async function claimOrderCursor(
  em: SqlExecutor,
  owner: string,
  name: OrderCursorName = "orders"
): Promise<ClaimedCursor | null> {
  const claimed = await takeLease(em, owner, name)
  if (claimed) {
    return claimed
  }
  if (await em.count(RecoveryCursorEntity, { name })) {
    return null
  }
  // Only when there is no cursor yet: the scan for the oldest shown offer runs once, not every run.
  // Raw SQL: INSERT … SELECT … ON CONFLICT DO NOTHING: the start computed in the database (min(), now()), and
  // two processes creating the cursor at once make one row.
  await em.execute(
    `INSERT INTO xcover_recovery_cursor (id, name, after_created_at, after_id, created_at, updated_at)
     SELECT ?, ?, COALESCE(${FIRST_POSITION_SQL[name]}, now()) - (? * interval '1 millisecond'), '', now(), now()
     ON CONFLICT (name) WHERE deleted_at IS NULL DO NOTHING`,
    [generateEntityId(undefined, "xcrc"), name, RECOVERY_GRACE_MS]
  )
  return takeLease(em, owner, name)
}

async function takeLease(
  em: SqlExecutor,
  owner: string,
  name: OrderCursorName
): Promise<ClaimedCursor | null> {
  // Raw SQL: one conditional UPDATE … RETURNING (lease free or lapsed, cursor due) on the database clock, so
  // one process takes the cursor (the ORM would read, then write).
  const [row] = await em.execute(
    `UPDATE xcover_recovery_cursor
     SET lease_owner = ?, lease_until = now() + (? * interval '1 millisecond'), updated_at = now()
     WHERE name = ? AND deleted_at IS NULL AND (lease_until IS NULL OR lease_until < now()) AND ${DUE_SQL[name]}
     RETURNING after_created_at, after_id, now() - (? * interval '1 millisecond') AS up_to`,
    [owner, RECOVERY_LEASE_MS, name, RECOVERY_GRACE_MS]
  )
  if (!row) {
    return null
  }
  return {
    after: {
      created_at: new Date(row.after_created_at as string | Date),
      id: String(row.after_id),
    },
    up_to: new Date(row.up_to as string | Date),
  }
}

/**
 * Moves the cursor past a page of orders and renews the lease. False when this process lost the
 * lease: it must stop (whoever took over re-reads from the stored position; deciding an order
 * twice changes nothing).
 */
export async function advanceOrderCursor(
  em: SqlExecutor,
  owner: string,
  to: OrderPosition,
  name: OrderCursorName = "orders"
): Promise<boolean> {
  // Raw SQL: one conditional UPDATE … RETURNING (only while this process owns the lease), the lease on the
  // database clock (now()).
  const rows = await em.execute(
    `UPDATE xcover_recovery_cursor
     SET after_created_at = ?, after_id = ?, lease_until = now() + (? * interval '1 millisecond'), updated_at = now()
     WHERE name = ? AND lease_owner = ? AND deleted_at IS NULL
     RETURNING id`,
    [to.created_at, to.id, RECOVERY_LEASE_MS, name, owner]
  )
  return rows.length > 0
}

export async function releaseOrderCursor(
  em: SqlExecutor,
  owner: string,
  name: OrderCursorName = "orders"
): Promise<void> {
  // Raw SQL: one conditional UPDATE (only while this process owns the lease), so it never frees a lease
  // another process has taken over (the ORM would read, then write).
  await em.execute(
    "UPDATE xcover_recovery_cursor SET lease_owner = NULL, lease_until = NULL, updated_at = now() WHERE name = ? AND lease_owner = ?",
    [name, owner]
  )
}

/** What the reconciler's runs found, since install (the admin's figures). */
export type ReconcileFiguresRow = {
  orders_checked: number
  decided: number
  repaired: { order_canceled: number; returned: number; order_edited: number }
}

/**
 * Ends a reconciler's run in one statement: the lease released, its figures added to the totals,
 * a full pass that reached the end marked complete (and its position reset). The orders that
 * failed replace the list to try again (the run tried the old list too); a full pass adds its own.
 */
export async function finishReconcileRun(
  em: SqlExecutor,
  owner: string,
  name: ReconcileCursorName,
  run: { figures: ReconcileFiguresRow; completed: boolean; retry: string[] }
): Promise<void> {
  const f = run.figures
  const add = (key: string, path = `'${key}'`) =>
    `'${key}', COALESCE((figures->>${path})::bigint, 0) + ?`
  // Raw SQL: one conditional UPDATE (only while this process owns the lease) that adds to the jsonb figures
  // in place (figures->>…, jsonb_build_object), times on the database clock.
  await em.execute(
    `UPDATE xcover_recovery_cursor
     SET lease_owner = NULL, lease_until = NULL, updated_at = now(), last_run_at = now(),
         figures = jsonb_build_object(${[add("orders_checked"), add("decided"), add("order_canceled"), add("returned"), add("order_edited")].join(", ")}),
         completed_at = CASE WHEN ? THEN now() ELSE completed_at END,
         after_id = CASE WHEN ? THEN '' ELSE after_id END
     WHERE name = ? AND lease_owner = ?`,
    [
      f.orders_checked,
      f.decided,
      f.repaired.order_canceled,
      f.repaired.returned,
      f.repaired.order_edited,
      run.completed,
      run.completed,
      name,
      owner,
    ]
  )
  if (name === "changed_orders") {
    await em.nativeUpdate(
      RecoveryCursorEntity,
      { name: "changed_orders" },
      { retry_order_ids: run.retry }
    )
  } else if (run.retry.length) {
    // Raw SQL: a jsonb set union (jsonb_array_elements_text, jsonb_agg(DISTINCT …)) merged into the stored
    // list in one statement.
    await em.execute(
      `UPDATE xcover_recovery_cursor
       SET retry_order_ids = (SELECT jsonb_agg(DISTINCT id) FROM jsonb_array_elements_text(COALESCE(retry_order_ids, '[]'::jsonb) || ?::jsonb) AS t(id))
       WHERE name = 'changed_orders' AND deleted_at IS NULL`,
      [JSON.stringify(run.retry)]
    )
  }
}

/** The reconciler's cursor rows as its readers need them (read through the generated `listXcoverRecoveryCursors`). */
export const RECONCILER_CURSOR_FIELDS = [
  "name",
  "figures",
  "last_run_at",
  "completed_at",
  "retry_order_ids",
] as const

export type ReconcilerCursorRow = {
  name: string
  figures: unknown
  last_run_at: Date | string | null
  completed_at: Date | string | null
  retry_order_ids: unknown
}

/** Orders whose reconciliation failed in an earlier run (at most 100: the rest wait their turn), from the changed orders' cursor. */
export function ordersToRetryOf(
  changedOrders: Pick<ReconcilerCursorRow, "retry_order_ids"> | undefined
): string[] {
  const ids = Array.isArray(changedOrders?.retry_order_ids)
    ? (changedOrders.retry_order_ids as unknown[])
    : []
  return ids.filter((id): id is string => typeof id === "string").slice(0, 100)
}

/** The reconciler's figures and timings, for the admin. */
export type ReconcilerView = {
  figures: ReconcileFiguresRow
  last_run_at: Date | null
  last_full_pass_at: Date | null
  /** Orders whose reconciliation keeps failing (tried again every run). */
  retrying_orders: number
  /** XCover's side of the books: policies read back (Get Booking), and what those reads found. */
  readbacks: ReadbackFigures
}

/** The reconciler's view from its two cursors' rows (read by the caller) and the read-backs' figures. */
export async function reconcilerView(
  em: SqlExecutor,
  rows: ReconcilerCursorRow[]
): Promise<ReconcilerView> {
  const figures: ReconcileFiguresRow = {
    orders_checked: 0,
    decided: 0,
    repaired: { order_canceled: 0, returned: 0, order_edited: 0 },
  }
  const num = (v: unknown) => Number(v ?? 0) || 0
  for (const row of rows) {
    const f = (row.figures ?? {}) as Record<string, unknown>
    figures.orders_checked += num(f.orders_checked)
    figures.decided += num(f.decided)
    figures.repaired.order_canceled += num(f.order_canceled)
    figures.repaired.returned += num(f.returned)
    figures.repaired.order_edited += num(f.order_edited)
  }
  const changed = rows.find((r) => r.name === "changed_orders")
  const full = rows.find((r) => r.name === "full_pass")
  const lastRun = rows
    .map((r) => r.last_run_at)
    .filter(Boolean)
    .map((v) => new Date(v as string | Date).getTime())
  return {
    figures,
    last_run_at: lastRun.length ? new Date(Math.max(...lastRun)) : null,
    last_full_pass_at: full?.completed_at
      ? new Date(full.completed_at as string | Date)
      : null,
    retrying_orders: Array.isArray(changed?.retry_order_ids)
      ? (changed.retry_order_ids as unknown[]).length
      : 0,
    readbacks: await readbackFigures(em),
  }
}
