import type { Logger } from "@medusajs/framework/types"
import type { OrderPosition } from "../recovery/order-cursor"
import { reconcileChangedOrders, type ChangedOrder, type ReconcileLedger } from "../recovery/reconcile-changed-orders"

const order = (n: number, status = "pending"): ChangedOrder => ({
  id: `order_${String(n).padStart(3, "0")}`,
  updated_at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
  status,
})

/** A ledger where the given orders have live policies, and a cursor in memory. */
function fakeLedger(orders: ChangedOrder[], live: string[], { claimable = true } = {}) {
  const state = { after: { created_at: new Date(0), id: "" } as OrderPosition, released: false, liveLookups: 0 }
  const ledger: ReconcileLedger = {
    claimChangedOrdersCursor: async () => (claimable ? { after: state.after, up_to: new Date(Date.UTC(2030, 0, 1)) } : null),
    advanceChangedOrdersCursor: async (_owner, to) => {
      state.after = to
      return true
    },
    releaseChangedOrdersCursor: async () => {
      state.released = true
    },
    ordersWithLivePolicies: async (ids) => {
      state.liveLookups++
      return ids.filter((id) => live.includes(id))
    },
  }
  const loadChangedOrders = async (after: OrderPosition, _upTo: Date, take: number) =>
    orders
      .filter((o) => o.updated_at > after.created_at || (o.updated_at.getTime() === after.created_at.getTime() && o.id > after.id))
      .slice(0, take)
  return { ledger, loadChangedOrders, state }
}

const logger = () => ({ error: jest.fn(), warn: jest.fn() }) as unknown as Logger & { error: jest.Mock; warn: jest.Mock }

describe("reconciling orders changed since the last pass", () => {
  it("compares only changed orders with a live policy, counts what it repaired by why, and moves the cursor past them all", async () => {
    const orders = [order(1, "canceled"), order(2), order(3, "canceled"), order(4), order(5)]
    const { ledger, loadChangedOrders, state } = fakeLedger(orders, ["order_001", "order_004", "order_005"])
    const seen: string[] = []
    const log = logger()
    const run = await reconcileChangedOrders({
      ledger,
      loadChangedOrders,
      reconcile: async (o) => {
        seen.push(o.id)
        return o.status === "canceled" ? { order_canceled: ["offer-a"], returned: [] } : { order_canceled: [], returned: o.id === "order_004" ? ["offer-b"] : [] }
      },
      logger: log,
      owner: "p",
      pageSize: 2,
    })
    expect(seen).toEqual(["order_001", "order_004", "order_005"])
    expect(run).toEqual({ skipped: false, orders_checked: 5, orders_reconciled: 3, repaired: { order_canceled: 1, returned: 1 }, failed: [] })
    // One lookup of live policies per page, not per order.
    expect(state.liveLookups).toBe(3)
    expect(state.after).toEqual({ created_at: orders[4].updated_at, id: "order_005" })
    expect(state.released).toBe(true)
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining("order order_001: cancelled in the store while offer-a stayed live"))
  })

  it("logs an order whose reconciliation fails and goes on", async () => {
    const { ledger, loadChangedOrders } = fakeLedger([order(1), order(2)], ["order_001", "order_002"])
    const log = logger()
    const run = await reconcileChangedOrders({
      ledger,
      loadChangedOrders,
      reconcile: async (o) => {
        if (o.id === "order_001") {
          throw new Error("query failed")
        }
        return { order_canceled: [], returned: [] }
      },
      logger: log,
      owner: "p",
    })
    expect(run).toMatchObject({ orders_reconciled: 2, failed: ["order_001"] })
    expect(log.error).toHaveBeenCalledWith(expect.stringContaining("reconciling order order_001 failed"))
  })

  it("does nothing while another process holds the cursor", async () => {
    const held = fakeLedger([order(1)], ["order_001"], { claimable: false })
    const reconcile = jest.fn()
    expect(await reconcileChangedOrders({ ...held, reconcile, logger: logger(), owner: "p" })).toMatchObject({ skipped: true, orders_checked: 0 })
    expect(reconcile).not.toHaveBeenCalled()
  })
})
