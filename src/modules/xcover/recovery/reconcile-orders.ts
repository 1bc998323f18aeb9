import type { Logger } from "@medusajs/framework/types"
import type { CancellationReason } from "../models/xcover-cancellation"
import { runCursorPass } from "./cursor-pass"
import {
  findDrift,
  type Drift,
  type LivePolicy,
  type OrderCoverState,
} from "./order-drift"
import type {
  ClaimedCursor,
  OrderPosition,
  ReconcileCursorName,
  ReconcileFiguresRow as ReconcileFigures,
} from "./order-cursor"
import type { OrderToCheck } from "./undecided-orders"

/** An order as the reconciler reads it: what its decision needs, and what is left of its cover lines. */
export type OrderFacts = OrderCoverState &
  Omit<OrderToCheck, "cart_id"> & {
    cart_id: string | null
    updated_at: Date
  }

/** The module's half of the reconciler (see the service's façade methods). */
export type ReconcileLedger = {
  findUndecidedOrders(
    orders: OrderToCheck[]
  ): Promise<{ order_ids: string[]; ledger_rows_read: number }>
  /** The live policies of these orders (booked or being booked, not cancelled at XCover). */
  livePolicies(orderIds: string[]): Promise<LivePolicy[]>
  /** Orders with a live policy after `afterId` (in id order), at most `take`: the full pass's pages. */
  ordersWithLivePoliciesAfter(afterId: string, take: number): Promise<string[]>
  requestCancellations(input: {
    order_id: string
    offer_ids: string[]
    reason: CancellationReason
  }): Promise<string[]>
  claimReconcileCursor(
    name: ReconcileCursorName,
    owner: string
  ): Promise<ClaimedCursor | null>
  advanceReconcileCursor(
    name: ReconcileCursorName,
    owner: string,
    to: OrderPosition
  ): Promise<boolean>
  /** Ends the run: records its figures, and (full pass) whether it reached the end. */
  finishReconcileRun(
    name: ReconcileCursorName,
    owner: string,
    run: { figures: ReconcileFigures; completed: boolean; retry: string[] }
  ): Promise<void>
  /** Orders whose reconciliation failed in an earlier run, to try again. */
  ordersToRetry(): Promise<string[]>
}

/** What an order's decision wrote to the outbox, for the caller to send. */
export type DecisionWritten = { opt_outs: number; bookings: number }

/** What reconciling some orders found and did. */
export type OrdersReconciled = {
  orders_checked: number
  decided: string[]
  /** Orders whose decision wrote opt-outs or bookings to send (the caller sends them). */
  to_send: { opt_outs: string[]; bookings: string[] }
  /** The cancellations newly asked for. */
  repaired: Drift[]
  /** Orders whose reconciliation threw: logged, and tried again in the next run. */
  failed: string[]
}

export type ReconcileDeps = {
  ledger: ReconcileLedger
  /** Records the order-placement decision for one order (nothing is sent); says what it wrote. */
  decide(orderId: string): Promise<DecisionWritten>
  logger: Logger
}

const REASON_TEXT: Record<Drift["reason"], string> = {
  order_canceled: "cancelled in the store",
  returned: "cover returned",
  order_edited: "cover removed by an order edit",
}

/**
 * Brings orders and their policies into line, level-triggered: the order as it is now says what
 * XCover must hold (the placement decision, then every live policy still paid for and kept), and
 * only what is missing is written to the outbox. Idempotent: a second run finds nothing. Two
 * ledger reads for any number of orders; an order costs more only when something was missing.
 */
export async function reconcileOrders(
  deps: ReconcileDeps,
  orders: OrderFacts[]
): Promise<OrdersReconciled> {
  const { ledger, logger } = deps
  const result: OrdersReconciled = {
    orders_checked: orders.length,
    decided: [],
    to_send: { opt_outs: [], bookings: [] },
    repaired: [],
    failed: [],
  }
  if (!orders.length) {
    return result
  }
  const fail = (orderId: string, err: unknown) => {
    result.failed.push(orderId)
    logger.error(
      `xcover: reconciling order ${orderId} failed, tried again in the next run: ${err instanceof Error ? err.message : String(err)}`
    )
  }
  const withCart = orders.filter(
    (o): o is OrderFacts & { cart_id: string } => o.cart_id !== null
  )
  const { order_ids: undecided } = await ledger.findUndecidedOrders(withCart)
  for (const orderId of undecided) {
    try {
      const written = await deps.decide(orderId)
      result.decided.push(orderId)
      if (written.opt_outs) {
        result.to_send.opt_outs.push(orderId)
      }
      if (written.bookings) {
        result.to_send.bookings.push(orderId)
      }
    } catch (err) {
      fail(orderId, err)
    }
  }
  const policies = await ledger.livePolicies(orders.map((o) => o.id))
  for (const order of orders) {
    if (result.failed.includes(order.id)) {
      continue
    }
    const drift = findDrift(
      order,
      policies.filter((p) => p.order_id === order.id)
    )
    try {
      for (const reason of [...new Set(drift.map((d) => d.reason))]) {
        const offerIds = drift
          .filter((d) => d.reason === reason)
          .map((d) => d.offer_id)
        const asked = await ledger.requestCancellations({
          order_id: order.id,
          offer_ids: offerIds,
          reason,
        })
        if (asked.length) {
          result.repaired.push(
            ...asked.map((offer_id) => ({
              order_id: order.id,
              offer_id,
              reason,
            }))
          )
          logger.warn(
            `xcover: order ${order.id}: ${REASON_TEXT[reason]} while ${asked.join(", ")} stayed live; cancellation asked for`
          )
        }
      }
    } catch (err) {
      fail(order.id, err)
    }
  }
  return result
}

export type ReconcileRun = OrdersReconciled & {
  /** Another process holds the cursor: nothing was done here. */
  skipped: boolean
  /** Full pass: it reached the last order with a live policy (the next one starts after its interval). */
  completed?: boolean
}

export type PassDeps = ReconcileDeps & {
  owner: string
  /** The orders by id (any order: pages are matched by id). */
  loadOrders(ids: string[]): Promise<OrderFacts[]>
  pageSize?: number
  maxPages?: number
}

const emptyRun = (): ReconcileRun => ({
  skipped: false,
  orders_checked: 0,
  decided: [],
  to_send: { opt_outs: [], bookings: [] },
  repaired: [],
  failed: [],
})

function add(run: ReconcileRun, page: OrdersReconciled): void {
  run.orders_checked += page.orders_checked
  run.decided.push(...page.decided)
  run.to_send.opt_outs.push(...page.to_send.opt_outs)
  run.to_send.bookings.push(...page.to_send.bookings)
  run.repaired.push(...page.repaired)
  run.failed.push(...page.failed)
}

export function figuresOf(run: OrdersReconciled): ReconcileFigures {
  const repaired: ReconcileFigures["repaired"] = {
    order_canceled: 0,
    returned: 0,
    order_edited: 0,
  }
  for (const drift of run.repaired) {
    repaired[drift.reason]++
  }
  return {
    orders_checked: run.orders_checked,
    decided: run.decided.length,
    repaired,
  }
}

/**
 * The pass over orders changed since the last one (Medusa's `updated_at`; grace window as for
 * recovery), plus the orders whose reconciliation failed before. Whatever event was lost
 * (`order.placed`, `order.canceled`, `order.return_received`, an edit), the change moved the
 * order past the cursor, and the order as it is now is compared with its policies.
 */
export async function reconcileChangedOrders(
  deps: PassDeps & {
    loadChangedOrders(
      after: OrderPosition,
      upTo: Date,
      take: number
    ): Promise<OrderFacts[]>
  }
): Promise<ReconcileRun> {
  const { ledger, owner, pageSize = 200, maxPages = 10 } = deps
  const run = emptyRun()
  const name = "changed_orders"
  let ran = false
  await runCursorPass(
    {
      claim: async () => {
        const claimed = await ledger.claimReconcileCursor(name, owner)
        ran = claimed !== null
        return claimed
      },
      advance: (to) => ledger.advanceReconcileCursor(name, owner, to),
      release: async () => {
        if (ran) {
          // Orders that failed before are tried once more in every run until they pass.
          const retry = (await ledger.ordersToRetry()).filter(
            (id) => !run.failed.includes(id)
          )
          if (retry.length) {
            add(run, await reconcileOrders(deps, await deps.loadOrders(retry)))
          }
          await ledger.finishReconcileRun(name, owner, {
            figures: figuresOf(run),
            completed: false,
            retry: [...new Set(run.failed)],
          })
        }
      },
    },
    {
      load: deps.loadChangedOrders,
      positionOf: (order) => ({ created_at: order.updated_at, id: order.id }),
      pageSize,
      maxPages,
      handlePage: async (orders) =>
        add(run, await reconcileOrders(deps, orders)),
    }
  )
  return ran ? run : { ...run, skipped: true }
}

/**
 * The full pass: every order with a live policy, in id order, a bounded number of pages per run,
 * started again once the last one is older than its interval. It finds what no change of the
 * order shows (a row changed by hand, a bug since fixed): the books are checked whole.
 */
export async function reconcileAllOrders(
  deps: PassDeps
): Promise<ReconcileRun> {
  const { ledger, owner, pageSize = 200, maxPages = 10 } = deps
  const run = emptyRun()
  const name = "full_pass"
  const claimed = await ledger.claimReconcileCursor(name, owner)
  if (!claimed) {
    return { ...run, skipped: true }
  }
  let completed = false
  try {
    let afterId = claimed.after.id
    for (let page = 0; page < maxPages; page++) {
      const ids = await ledger.ordersWithLivePoliciesAfter(afterId, pageSize)
      if (ids.length) {
        add(run, await reconcileOrders(deps, await deps.loadOrders(ids)))
        afterId = ids[ids.length - 1]
      }
      if (ids.length < pageSize) {
        completed = true
        break
      }
      if (
        !(await ledger.advanceReconcileCursor(name, owner, {
          created_at: claimed.after.created_at,
          id: afterId,
        }))
      ) {
        break
      }
    }
  } finally {
    await ledger.finishReconcileRun(name, owner, {
      figures: figuresOf(run),
      completed,
      retry: [...new Set(run.failed)],
    })
  }
  return { ...run, completed }
}
