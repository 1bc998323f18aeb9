import type { Logger } from "@medusajs/framework/types"
import type { ClaimedCursor, OrderPosition } from "./order-cursor"
import { runCursorPass } from "./cursor-pass"
import type { OrderToCheck } from "./undecided-orders"

/** A placed order as recovery loads it; `cart_id` is null for an order without a cart (draft). */
export type PlacedOrder = Omit<OrderToCheck, "cart_id"> & {
  cart_id: string | null
  created_at: Date
}

/** The module's half of recovery (see the service's façade methods). */
export type RecoveryLedger = {
  claimOrderCursor(owner: string): Promise<ClaimedCursor | null>
  advanceOrderCursor(owner: string, to: OrderPosition): Promise<boolean>
  releaseOrderCursor(owner: string): Promise<void>
  findUndecidedOrders(
    orders: OrderToCheck[]
  ): Promise<{ order_ids: string[]; ledger_rows_read: number }>
}

export type RecoveryDeps = {
  ledger: RecoveryLedger
  /** Orders after `after` in (created_at, id) order, created no later than `upTo`, at most `take`. */
  loadOrders(
    after: OrderPosition,
    upTo: Date,
    take: number
  ): Promise<PlacedOrder[]>
  /** Records the order-placement decision for one order; the job's sweeps send what it wrote. */
  decide(orderId: string): Promise<unknown>
  logger: Logger
  owner: string
  pageSize?: number
  /** Bounds one run; a long backlog (first run after an upgrade) continues in the next runs. */
  maxPages?: number
}

export type RecoveryRun = {
  /** Another process holds the cursor: nothing was done here. */
  skipped: boolean
  orders_checked: number
  ledger_rows_read: number
  decided: string[]
  /** Orders whose decision threw: logged with their id, and passed (see docs/delivery.md, "Lost events"). */
  failed: string[]
}

/**
 * One pass of the order cursor: each page of placed orders is compared with the ledger, orders
 * the decision never reached are decided, then the cursor moves past the page. The work depends
 * on the number of orders placed since the last run, never on abandoned carts.
 */
export async function recoverMissedOrders(
  deps: RecoveryDeps
): Promise<RecoveryRun> {
  const { ledger, logger, owner, pageSize = 100, maxPages = 10 } = deps
  const run: RecoveryRun = {
    skipped: false,
    orders_checked: 0,
    ledger_rows_read: 0,
    decided: [],
    failed: [],
  }
  const ran = await runCursorPass(
    {
      claim: () => ledger.claimOrderCursor(owner),
      advance: (to) => ledger.advanceOrderCursor(owner, to),
      release: () => ledger.releaseOrderCursor(owner),
    },
    {
      load: deps.loadOrders,
      positionOf: (order) => ({ created_at: order.created_at, id: order.id }),
      pageSize,
      maxPages,
      handlePage: async (orders) => {
        run.orders_checked += orders.length
        const withCart = orders.filter(
          (o): o is PlacedOrder & { cart_id: string } => o.cart_id !== null
        )
        const { order_ids, ledger_rows_read } =
          await ledger.findUndecidedOrders(withCart)
        run.ledger_rows_read += ledger_rows_read
        for (const orderId of order_ids) {
          try {
            await deps.decide(orderId)
            run.decided.push(orderId)
          } catch (err) {
            // One bad order must not hold back the others, nor the opt-outs sent after recovery.
            run.failed.push(orderId)
            logger.error(
              `xcover: recovering order ${orderId} failed, skipped: ${err instanceof Error ? err.message : String(err)}`
            )
          }
        }
      },
    }
  )
  return ran ? run : { ...run, skipped: true }
}
