import type { Logger } from "@medusajs/framework/types"
import type { CancellationReason } from "../models/xcover-cancellation"
import type {
  OrderPosition,
  ReconcileCursorName,
  ReconcileFiguresRow,
} from "../recovery/order-cursor"
import { findDrift, type LivePolicy } from "../recovery/order-drift"
import {
  reconcileAllOrders,
  reconcileChangedOrders,
  reconcileOrders,
  type OrderFacts,
  type ReconcileLedger,
} from "../recovery/reconcile-orders"

const order = (n: number, over: Partial<OrderFacts> = {}): OrderFacts => ({
  id: `order_${String(n).padStart(3, "0")}`,
  updated_at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
  status: "pending",
  cart_id: `cart_${n}`,
  metadata_offer_ids: [],
  selected_offer_ids: [],
  lines: [{ offer_id: `offer_${n}`, quantity: 1, returned_quantity: 0 }],
  lines_read: true,
  ...over,
})

const live = (o: OrderFacts, asked = false): LivePolicy => ({
  order_id: o.id,
  offer_id: `offer_${o.id.slice(6).replace(/^0+/, "")}`,
  cancellation_asked: asked,
})

describe("the books' invariant for one order (findDrift)", () => {
  const o = order(1)
  it("keeps a policy whose line is paid for and kept", () => {
    expect(findDrift(o, [live(o)])).toEqual([])
  })
  it("cancels every policy of a cancelled order, once", () => {
    const cancelled = { ...o, status: "canceled" }
    expect(findDrift(cancelled, [live(o)])).toEqual([
      { order_id: o.id, offer_id: "offer_1", reason: "order_canceled" },
    ])
    expect(findDrift(cancelled, [live(o, true)])).toEqual([])
  })
  it("cancels a policy whose lines all came back, or were edited away; keeps it while some is kept", () => {
    expect(
      findDrift(
        {
          ...o,
          lines: [{ offer_id: "offer_1", quantity: 1, returned_quantity: 1 }],
        },
        [live(o)]
      )
    ).toEqual([{ order_id: o.id, offer_id: "offer_1", reason: "returned" }])
    expect(
      findDrift(
        {
          ...o,
          lines: [{ offer_id: "offer_1", quantity: 0, returned_quantity: 0 }],
        },
        [live(o)]
      )
    ).toEqual([{ order_id: o.id, offer_id: "offer_1", reason: "order_edited" }])
    expect(
      findDrift(
        {
          ...o,
          lines: [{ offer_id: "offer_1", quantity: 2, returned_quantity: 1 }],
        },
        [live(o)]
      )
    ).toEqual([])
  })
  it("cancels a policy whose line an edit took out of the order, but only when the order's lines were read", () => {
    expect(findDrift({ ...o, lines: [] }, [live(o)])).toEqual([
      { order_id: o.id, offer_id: "offer_1", reason: "order_edited" },
    ])
    expect(
      findDrift({ ...o, lines: [], lines_read: false }, [live(o)])
    ).toEqual([])
  })
  it("concludes nothing from a line whose quantity was not read", () => {
    expect(
      findDrift(
        {
          ...o,
          lines: [
            { offer_id: "offer_1", quantity: null, returned_quantity: 0 },
          ],
        },
        [live(o)]
      )
    ).toEqual([])
  })
})

/** A ledger in memory: undecided orders, live policies, cursors, figures and the retry list. */
function fakeLedger(
  policies: LivePolicy[],
  { undecided = [] as string[], failRequestFor = [] as string[] } = {}
) {
  const state = {
    cursors: new Map<ReconcileCursorName, OrderPosition>(),
    completed: new Map<ReconcileCursorName, boolean>(),
    figures: [] as ReconcileFiguresRow[],
    retry: [] as string[],
    asked: [] as {
      order_id: string
      offer_ids: string[]
      reason: CancellationReason
    }[],
    liveReads: 0,
  }
  const ledger: ReconcileLedger = {
    findUndecidedOrders: async (orders) => ({
      order_ids: orders.map((o) => o.id).filter((id) => undecided.includes(id)),
      ledger_rows_read: 0,
    }),
    livePolicies: async (ids) => {
      state.liveReads++
      return policies.filter((p) => ids.includes(p.order_id))
    },
    ordersWithLivePoliciesAfter: async (afterId, take) =>
      [...new Set(policies.map((p) => p.order_id))]
        .sort()
        .filter((id) => id > afterId)
        .slice(0, take),
    requestCancellations: async (input) => {
      if (failRequestFor.includes(input.order_id)) {
        throw new Error("database went away")
      }
      state.asked.push(input)
      return input.offer_ids
    },
    claimReconcileCursor: async (name) => ({
      after: state.cursors.get(name) ?? { created_at: new Date(0), id: "" },
      up_to: new Date(Date.UTC(2030, 0, 1)),
    }),
    advanceReconcileCursor: async (name, _owner, to) => {
      state.cursors.set(name, to)
      return true
    },
    finishReconcileRun: async (name, _owner, run) => {
      state.figures.push(run.figures)
      state.completed.set(name, run.completed)
      state.retry =
        name === "changed_orders"
          ? run.retry
          : [...new Set([...state.retry, ...run.retry])]
    },
    ordersToRetry: async () => state.retry,
  }
  return { ledger, state }
}

const logger = () =>
  ({ error: jest.fn(), warn: jest.fn() }) as unknown as Logger & {
    error: jest.Mock
    warn: jest.Mock
  }

describe("the reconciler", () => {
  it("decides orders the placement never reached, then asks for each missing cancellation, with two ledger reads for a page", async () => {
    const orders = [
      order(1, { status: "canceled" }),
      order(2),
      order(3, {
        lines: [{ offer_id: "offer_3", quantity: 1, returned_quantity: 1 }],
      }),
    ]
    const { ledger, state } = fakeLedger(
      orders.map((o) => live(o)),
      { undecided: ["order_002"] }
    )
    const decided: string[] = []
    const log = logger()
    const result = await reconcileOrders(
      {
        ledger,
        logger: log,
        decide: async (id) => {
          decided.push(id)
          return { opt_outs: 1, bookings: 0 }
        },
      },
      orders
    )
    expect(decided).toEqual(["order_002"])
    expect(result).toEqual({
      orders_checked: 3,
      decided: ["order_002"],
      // What the decision wrote, for the caller to send: the reconciler itself sends nothing.
      to_send: { opt_outs: ["order_002"], bookings: [] },
      repaired: [
        {
          order_id: "order_001",
          offer_id: "offer_1",
          reason: "order_canceled",
        },
        { order_id: "order_003", offer_id: "offer_3", reason: "returned" },
      ],
      failed: [],
    })
    expect(state.liveReads).toBe(1)
    expect(log.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        "order order_001: cancelled in the store while offer_1 stayed live"
      )
    )
  })

  it("tries an order whose reconciliation failed again in the next run, until it passes, without a change of the order", async () => {
    const broken = order(1, { status: "canceled" })
    const fail = ["order_001"]
    const { ledger, state } = fakeLedger([live(broken)], {
      failRequestFor: fail,
    })
    const log = logger()
    const deps = {
      ledger,
      logger: log,
      decide: async () => ({ opt_outs: 0, bookings: 0 }),
      owner: "p",
      loadOrders: async (ids: string[]) =>
        ids.includes(broken.id) ? [broken] : [],
    }
    const first = await reconcileChangedOrders({
      ...deps,
      loadChangedOrders: async (after) =>
        after.id < broken.id ? [broken] : [],
    })
    expect(first.failed).toEqual(["order_001"])
    expect(state.retry).toEqual(["order_001"])
    expect(log.error).toHaveBeenCalledWith(
      expect.stringContaining(
        "reconciling order order_001 failed, tried again in the next run"
      )
    )

    // No change since: the cursor is past it, only the retry list brings it back; still broken, still listed.
    const second = await reconcileChangedOrders({
      ...deps,
      loadChangedOrders: async () => [],
    })
    expect(second).toMatchObject({ orders_checked: 1, failed: ["order_001"] })
    expect(state.retry).toEqual(["order_001"])

    fail.length = 0
    const third = await reconcileChangedOrders({
      ...deps,
      loadChangedOrders: async () => [],
    })
    expect(third).toMatchObject({
      failed: [],
      repaired: [
        {
          order_id: "order_001",
          offer_id: "offer_1",
          reason: "order_canceled",
        },
      ],
    })
    expect(state.retry).toEqual([])
  })

  it("walks every order with a live policy in pages in the full pass, and says when it reached the end", async () => {
    const orders = Array.from({ length: 5 }, (_, i) =>
      order(i + 1, { status: i === 3 ? "canceled" : "pending" })
    )
    const { ledger, state } = fakeLedger(orders.map((o) => live(o)))
    const deps = {
      ledger,
      logger: logger(),
      decide: async () => ({ opt_outs: 0, bookings: 0 }),
      owner: "p",
      loadOrders: async (ids: string[]) =>
        orders.filter((o) => ids.includes(o.id)),
    }
    const partial = await reconcileAllOrders({
      ...deps,
      pageSize: 2,
      maxPages: 2,
    })
    expect(partial).toMatchObject({
      orders_checked: 4,
      completed: false,
      repaired: [{ order_id: "order_004", reason: "order_canceled" }],
    })
    expect(state.cursors.get("full_pass")?.id).toBe("order_004")
    const rest = await reconcileAllOrders({ ...deps, pageSize: 2, maxPages: 2 })
    expect(rest).toMatchObject({
      orders_checked: 1,
      completed: true,
      repaired: [],
    })
    expect(state.figures.map((f) => f.repaired.order_canceled)).toEqual([1, 0])
  })
})
