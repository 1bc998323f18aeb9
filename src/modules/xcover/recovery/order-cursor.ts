import { generateEntityId } from "@medusajs/framework/utils"
import type { SqlExecutor } from "../sql"

/**
 * A place in the orders sorted by (created_at, id) (`orders`: recovery of lost `order.placed`),
 * or by (updated_at, id) (`changed_orders`: the reconciliation of orders changed since): every
 * order up to it has been looked at. The time travels in `created_at` for both.
 */
export type OrderPosition = { created_at: Date; id: string }

/** The cursors over orders, one row each in `xcover_recovery_cursor`. */
export type OrderCursorName = "orders" | "changed_orders"

/** Where a cursor starts on its first run (minus the grace window). */
const FIRST_POSITION_SQL: Record<OrderCursorName, string> = {
  // A store upgrading from the offer scan recovers every order still pending, however old.
  orders: "(SELECT min(created_at) FROM xcover_offer WHERE status = 'shown' AND deleted_at IS NULL)",
  // Every order that ever had a booking is reconciled once.
  changed_orders: "(SELECT min(created_at) FROM xcover_booking WHERE deleted_at IS NULL)",
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
export async function claimOrderCursor(em: SqlExecutor, owner: string, name: OrderCursorName = "orders"): Promise<ClaimedCursor | null> {
  const claimed = await takeLease(em, owner, name)
  if (claimed) {
    return claimed
  }
  const [existing] = await em.execute("SELECT 1 FROM xcover_recovery_cursor WHERE name = ? AND deleted_at IS NULL", [name])
  if (existing) {
    return null
  }
  // Only when there is no cursor yet: the scan for the oldest shown offer runs once, not every run.
  await em.execute(
    `INSERT INTO xcover_recovery_cursor (id, name, after_created_at, after_id, created_at, updated_at)
     SELECT ?, ?, COALESCE(${FIRST_POSITION_SQL[name]}, now()) - (? * interval '1 millisecond'), '', now(), now()
     ON CONFLICT (name) WHERE deleted_at IS NULL DO NOTHING`,
    [generateEntityId(undefined, "xcrc"), name, RECOVERY_GRACE_MS]
  )
  return takeLease(em, owner, name)
}

async function takeLease(em: SqlExecutor, owner: string, name: OrderCursorName): Promise<ClaimedCursor | null> {
  const [row] = await em.execute(
    `UPDATE xcover_recovery_cursor
     SET lease_owner = ?, lease_until = now() + (? * interval '1 millisecond'), updated_at = now()
     WHERE name = ? AND deleted_at IS NULL AND (lease_until IS NULL OR lease_until < now())
     RETURNING after_created_at, after_id, now() - (? * interval '1 millisecond') AS up_to`,
    [owner, RECOVERY_LEASE_MS, name, RECOVERY_GRACE_MS]
  )
  if (!row) {
    return null
  }
  return {
    after: { created_at: new Date(row.after_created_at as string | Date), id: String(row.after_id) },
    up_to: new Date(row.up_to as string | Date),
  }
}

/**
 * Moves the cursor past a page of orders and renews the lease. False when this process lost the
 * lease: it must stop (whoever took over re-reads from the stored position; deciding an order
 * twice changes nothing).
 */
export async function advanceOrderCursor(em: SqlExecutor, owner: string, to: OrderPosition, name: OrderCursorName = "orders"): Promise<boolean> {
  const rows = await em.execute(
    `UPDATE xcover_recovery_cursor
     SET after_created_at = ?, after_id = ?, lease_until = now() + (? * interval '1 millisecond'), updated_at = now()
     WHERE name = ? AND lease_owner = ? AND deleted_at IS NULL
     RETURNING id`,
    [to.created_at, to.id, RECOVERY_LEASE_MS, name, owner]
  )
  return rows.length > 0
}

export async function releaseOrderCursor(em: SqlExecutor, owner: string, name: OrderCursorName = "orders"): Promise<void> {
  await em.execute(
    "UPDATE xcover_recovery_cursor SET lease_owner = NULL, lease_until = NULL, updated_at = now() WHERE name = ? AND lease_owner = ?",
    [name, owner]
  )
}
