import type { Logger } from "@medusajs/framework/types"
import type { ClaimedCursor, OrderPosition } from "./order-cursor"

/** An order as the reconciliation loads it: changed since the last pass. */
export type ChangedOrder = { id: string; updated_at: Date; status: string | null }

/** The module's half of the reconciliation (see the service's façade methods). */
export type ReconcileLedger = {
  claimChangedOrdersCursor(owner: string): Promise<ClaimedCursor | null>
  advanceChangedOrdersCursor(owner: string, to: OrderPosition): Promise<boolean>
  releaseChangedOrdersCursor(owner: string): Promise<void>
  /** Of these orders, those with a policy that is booked, or being booked, and not cancelled. */
  ordersWithLivePolicies(orderIds: string[]): Promise<string[]>
}

/** What one order's reconciliation asked for: cancellations, by why. */
export type OrderRepairs = { order_canceled: string[]; returned: string[] }

export type ReconcileDeps = {
  ledger: ReconcileLedger
  /** Orders after `after` in (updated_at, id) order, updated no later than `upTo`, at most `take`. */
  loadChangedOrders(after: OrderPosition, upTo: Date, take: number): Promise<ChangedOrder[]>
  /** Compares one order with its policies and writes the missing cancellations to the outbox. */
  reconcile(order: ChangedOrder): Promise<OrderRepairs>
  logger: Logger
  owner: string
  pageSize?: number
  maxPages?: number
}

export type ReconcileRun = {
  /** Another process holds the cursor: nothing was done here. */
  skipped: boolean
  orders_checked: number
  /** Changed orders with a live policy, compared with the store's order. */
  orders_reconciled: number
  /** Drift found and repaired: policies whose cancellation was missing, by why. */
  repaired: { order_canceled: number; returned: number }
  failed: string[]
}

/**
 * One pass over the orders changed since the last one (Medusa's `updated_at`), level-triggered:
 * whatever event was lost (`order.canceled`, `order.return_received`), the order as it is now
 * says what XCover must hold, and what is missing is written to the outbox. Orders without a
 * live policy cost one indexed lookup per page.
 */
export async function reconcileChangedOrders(deps: ReconcileDeps): Promise<ReconcileRun> {
  const { ledger, logger, owner, pageSize = 200, maxPages = 10 } = deps
  const run: ReconcileRun = { skipped: false, orders_checked: 0, orders_reconciled: 0, repaired: { order_canceled: 0, returned: 0 }, failed: [] }
  const cursor = await ledger.claimChangedOrdersCursor(owner)
  if (!cursor) {
    return { ...run, skipped: true }
  }
  try {
    let after = cursor.after
    for (let page = 0; page < maxPages; page++) {
      const orders = await deps.loadChangedOrders(after, cursor.up_to, pageSize)
      if (!orders.length) {
        break
      }
      run.orders_checked += orders.length
      const live = new Set(await ledger.ordersWithLivePolicies(orders.map((o) => o.id)))
      for (const order of orders.filter((o) => live.has(o.id))) {
        run.orders_reconciled++
        try {
          const repairs = await deps.reconcile(order)
          for (const why of ["order_canceled", "returned"] as const) {
            if (repairs[why].length) {
              run.repaired[why] += repairs[why].length
              logger.warn(
                `xcover: order ${order.id}: ${why === "order_canceled" ? "cancelled in the store" : "cover returned"} while ${repairs[why].join(", ")} stayed live (an event was lost); cancellation asked for`
              )
            }
          }
        } catch (err) {
          run.failed.push(order.id)
          logger.error(`xcover: reconciling order ${order.id} failed, tried again at its next change: ${err instanceof Error ? err.message : String(err)}`)
        }
      }
      const last = orders[orders.length - 1]
      after = { created_at: last.updated_at, id: last.id }
      if (!(await ledger.advanceChangedOrdersCursor(owner, after)) || orders.length < pageSize) {
        break
      }
    }
    return run
  } finally {
    await ledger.releaseChangedOrdersCursor(owner)
  }
}
