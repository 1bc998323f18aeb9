import type { Logger } from "@medusajs/framework/types"
import type { OrderPosition } from "../recovery/order-cursor"
import {
  recoverMissedOrders,
  type PlacedOrder,
  type RecoveryLedger,
} from "../recovery/recover-missed-orders"

const order = (n: number, cart: string | null = `cart_${n}`): PlacedOrder => ({
  id: `order_${String(n).padStart(3, "0")}`,
  created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
  cart_id: cart,
  metadata_offer_ids: [],
  selected_offer_ids: [],
})

/** A ledger over `orders` where every order with a cart is undecided, and a cursor in memory. */
function fakeLedger(
  orders: PlacedOrder[],
  { claimable = true, loseLeaseAfter = Infinity } = {}
) {
  const state = {
    after: { created_at: new Date(0), id: "" } as OrderPosition,
    advances: 0,
    released: false,
  }
  const ledger: RecoveryLedger = {
    claimOrderCursor: async () =>
      claimable
        ? { after: state.after, up_to: new Date(Date.UTC(2030, 0, 1)) }
        : null,
    advanceOrderCursor: async (_owner, to) => {
      if (state.advances >= loseLeaseAfter) {
        return false
      }
      state.advances++
      state.after = to
      return true
    },
    releaseOrderCursor: async () => {
      state.released = true
    },
    findUndecidedOrders: async (batch) => ({
      order_ids: batch.map((o) => o.id),
      ledger_rows_read: batch.length,
    }),
  }
  const loadOrders = async (after: OrderPosition, _upTo: Date, take: number) =>
    orders
      .filter(
        (o) =>
          o.created_at > after.created_at ||
          (o.created_at.getTime() === after.created_at.getTime() &&
            o.id > after.id)
      )
      .slice(0, take)
  return { ledger, loadOrders, state }
}

const logger = () =>
  ({ error: jest.fn() }) as unknown as Logger & { error: jest.Mock }

describe("recovering orders whose order.placed was lost", () => {
  it("pages through the orders after the cursor, decides those the ledger lacks and moves the cursor past them", async () => {
    const orders = [order(1), order(2), order(3, null), order(4), order(5)]
    const { ledger, loadOrders, state } = fakeLedger(orders)
    const decided: string[] = []
    const run = await recoverMissedOrders({
      ledger,
      loadOrders,
      decide: async (id) => void decided.push(id),
      logger: logger(),
      owner: "p",
      pageSize: 2,
    })
    expect(run).toEqual({
      skipped: false,
      orders_checked: 5,
      ledger_rows_read: 4,
      decided: ["order_001", "order_002", "order_004", "order_005"],
      failed: [],
    })
    expect(decided).toEqual(run.decided)
    expect(state.after).toEqual({
      created_at: orders[4].created_at,
      id: "order_005",
    })
    expect(state.released).toBe(true)
  })

  it("logs a failing order with its id and goes on with the others", async () => {
    const { ledger, loadOrders, state } = fakeLedger([
      order(1),
      order(2),
      order(3),
    ])
    const log = logger()
    const run = await recoverMissedOrders({
      ledger,
      loadOrders,
      decide: async (id) => {
        if (id === "order_002") {
          throw new Error("cart gone")
        }
      },
      logger: log,
      owner: "p",
    })
    expect(run.decided).toEqual(["order_001", "order_003"])
    expect(run.failed).toEqual(["order_002"])
    expect(log.error).toHaveBeenCalledWith(
      "xcover: recovering order order_002 failed, skipped: cart gone"
    )
    expect(state.after.id).toBe("order_003")
  })

  it("does nothing while another process holds the cursor, and stops once its lease is lost", async () => {
    const held = fakeLedger([order(1)], { claimable: false })
    expect(
      await recoverMissedOrders({
        ...held,
        decide: jest.fn(),
        logger: logger(),
        owner: "p",
      })
    ).toMatchObject({ skipped: true, orders_checked: 0 })

    const lost = fakeLedger([order(1), order(2), order(3)], {
      loseLeaseAfter: 0,
    })
    const run = await recoverMissedOrders({
      ...lost,
      decide: async () => undefined,
      logger: logger(),
      owner: "p",
      pageSize: 1,
    })
    expect(run.orders_checked).toBe(1)
  })
})
