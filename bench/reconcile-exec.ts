// `medusa exec` script of benchmark 8 (bench/reconcile.ts starts it): in a Medusa app booted on its
// own database, writes N orders with a cover line each and their booked policies, plants the
// drift the plan says, then runs the reconciler's full pass over them as the scheduled job does
// (`reconcileAllOrders` with `loadOrderFacts`), timing it and counting every SQL statement this
// process sends meanwhile. Writes what it found to the plan's `out` file.
import { randomUUID } from "node:crypto"
import { readFileSync, writeFileSync } from "node:fs"
import type { ExecArgs, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { Client } from "pg"
import { XCOVER_MODULE } from "../src/modules/xcover"
import type XcoverModuleService from "../src/modules/xcover/service"
import {
  reconcileAllOrders,
  type ReconcileLedger,
  type ReconcileRun,
} from "../src/modules/xcover/recovery/reconcile-orders"
import {
  loadOrderFacts,
  reconcileDepsOf,
} from "../src/workflows/reconcile-xcover-orders"
import {
  COVER_QUOTE_METADATA_KEY,
  LINE_ITEM_METADATA_KEY,
} from "../src/workflows/order-graph"
import type {
  PassFigures,
  PhaseFigures,
  ReconcilePlan,
  ReconcileExecResult,
} from "./reconcile"
import { installSqlCounter, type SqlCounter } from "./sql-counter"
import { round } from "./stats"

// Installed before anything connects: every statement of the app is counted from here on.
const counter: SqlCounter = installSqlCounter()

const BATCH = 500

/** A time rounded for the results (always finite here, unlike `round`'s input). */
const fixed = (n: number, digits: number) => Number(n.toFixed(digits))

export default async function reconcileBench({ container }: ExecArgs) {
  const planFile = process.env.XCOVER_BENCH_RECONCILE_PLAN
  if (!planFile) {
    throw new Error("XCOVER_BENCH_RECONCILE_PLAN is not set")
  }
  const plan = JSON.parse(readFileSync(planFile, "utf8")) as ReconcilePlan
  const db = new Client({ connectionString: process.env.DATABASE_URL })
  await db.connect()
  try {
    const setupStarted = performance.now()
    const orders = await writeOrders(container, db, plan)
    await plantDrift(db, plan, orders)
    const setup_s = fixed((performance.now() - setupStarted) / 1000, 1)

    const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
    const first = await timedPass(container, counter)
    // The full pass runs again once its interval (a day) is over: skipped here.
    await db.query(
      "UPDATE xcover_recovery_cursor SET completed_at = NULL WHERE name = 'full_pass'"
    )
    const second = await timedPass(container, counter)

    // What the pass asked for goes out as the job sends it; the lost webhooks' read-backs come due.
    const sendStarted = performance.now()
    const cancellation_sends = await drain(() =>
      xcover.dispatchAllDueCancellations()
    )
    const cancellations_ms = performance.now() - sendStarted
    const lost = plan.drift
      .filter((d) => d.kind === "lost_webhook")
      .map((d) => bookingRowId(plan, d.index))
    await db.query(
      "UPDATE xcover_readback SET next_attempt_at = now() WHERE booking_row_id = ANY($1)",
      [lost]
    )
    const readStarted = performance.now()
    const readback_sends = await drain(() => xcover.dispatchAllDueReadbacks())
    const readbacks_ms = performance.now() - readStarted

    const result: ReconcileExecResult = {
      setup_s,
      first_pass: first,
      second_pass: second,
      sent: {
        cancellation_sends,
        ms_per_cancellation_send: cancellation_sends
          ? round(cancellations_ms / cancellation_sends, 2)
          : null,
        readback_sends,
        ms_per_readback_send: readback_sends
          ? round(readbacks_ms / readback_sends, 2)
          : null,
      },
      afterwards: await driftLeft(db, xcover, plan, orders),
    }
    writeFileSync(plan.out, JSON.stringify(result, null, 2))
  } finally {
    await db.end()
  }
}

/** Until a sweep sends nothing more (a sweep may stop early, or skip while another runs). */
async function drain(
  sweep: () => Promise<{ sent: number } | null>
): Promise<number> {
  let sent = 0
  for (let idle = 0; idle < 3;) {
    const n = (await sweep())?.sent ?? 0
    sent += n
    idle = n ? 0 : idle + 1
  }
  return sent
}

const offerId = (plan: ReconcilePlan, i: number) => `${plan.label}-${i}`
const quoteId = (plan: ReconcilePlan, i: number) => `${plan.label}-q-${i}`
const bookingRowId = (plan: ReconcilePlan, i: number) =>
  `xcb_${plan.label}_${i}`

/** The orders as written: index → Medusa's ids. */
type Written = { order_ids: string[]; cart_ids: string[] }

/**
 * N orders through Medusa's order module (a product line and the plugin's cover line each), each
 * linked to a cart of its own as a checkout leaves it; then by SQL what the plugin's decision and
 * booking would have written: the cover's offer `selected`, its policy booked and CONFIRMED, its
 * read-back scheduled a day ahead.
 */
async function writeOrders(
  container: MedusaContainer,
  db: Client,
  plan: ReconcilePlan
): Promise<Written> {
  const orderModule = container.resolve(Modules.ORDER)
  const cartModule = container.resolve(Modules.CART)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const written: Written = { order_ids: [], cart_ids: [] }
  const priceOf = new Map(plan.drift.map((d) => [d.index, d]))
  for (let start = 0; start < plan.orders; start += BATCH) {
    const indexes = Array.from(
      { length: Math.min(BATCH, plan.orders - start) },
      (_, k) => start + k
    )
    const carts = await cartModule.createCarts(
      indexes.map(() => ({ currency_code: "eur" }))
    )
    const orders = await orderModule.createOrders(
      indexes.map((i) => ({
        currency_code: "eur",
        email: `shopper-${i}@example.com`,
        status: "pending",
        items: [
          { title: "Kettle", quantity: 1, unit_price: 40 },
          {
            title: "XCover protection",
            quantity: 1,
            unit_price: priceOf.get(i)?.price ?? 5,
            metadata: {
              [LINE_ITEM_METADATA_KEY]: offerId(plan, i),
              [COVER_QUOTE_METADATA_KEY]: quoteId(plan, i),
            },
          },
        ],
      }))
    )
    // The module does not promise its input's order: each order is known by its email.
    const byEmail = new Map(orders.map((o) => [o.email, o.id]))
    const orderIds = indexes.map((i) => {
      const id = byEmail.get(`shopper-${i}@example.com`)
      if (!id) {
        throw new Error(`order ${i} was not created`)
      }
      return id
    })
    await link.create(
      orderIds.map((order_id, k) => ({
        [Modules.ORDER]: { order_id },
        [Modules.CART]: { cart_id: carts[k].id },
      }))
    )
    written.order_ids.push(...orderIds)
    written.cart_ids.push(...carts.map((c) => c.id))
  }
  const rows = Array.from({ length: plan.orders }, (_, i) => {
    const planted = priceOf.get(i)
    return {
      offer: offerId(plan, i),
      quote: planted?.quote_id ?? quoteId(plan, i),
      price: planted?.price ?? 5,
      booking: planted?.booking_id ?? `INS-${plan.label}-${i}`,
      row: bookingRowId(plan, i),
    }
  })
  const col = <K extends keyof (typeof rows)[number]>(key: K) =>
    rows.map((r) => r[key])
  await db.query(
    `INSERT INTO xcover_offer (id, offer_id, cart_id, order_id, source, status, attempts, idempotency_key, taken_quote_id, created_at, updated_at)
     SELECT 'xco_' || o, o, c, ord, 'store_route', 'selected', 0, 'medusa-xcover-opt-out-' || o, q, now() - interval '2 days', now() - interval '2 days'
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(o, c, ord, q)`,
    [col("offer"), written.cart_ids, written.order_ids, col("quote")]
  )
  await db.query(
    `INSERT INTO xcover_booking (id, offer_id, order_id, cart_id, status, request, idempotency_key, attempts, decided_at, charged_amount, charged_currency,
       booking_id, booking_status, currency, total_price, quotes, completed_at, created_at, updated_at)
     SELECT r, o, ord, c, 'booked', '{}'::jsonb, 'medusa-xcover-confirm-' || o, 1, now() - interval '2 days', p, 'eur',
       b, 'CONFIRMED', 'EUR', p, jsonb_build_array(jsonb_build_object('id', q, 'status', 'CONFIRMED', 'price', p)),
       now() - interval '2 days', now() - interval '2 days', now() - interval '2 days'
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[]) AS t(r, o, ord, c, b, q, p)`,
    [
      col("row"),
      col("offer"),
      written.order_ids,
      written.cart_ids,
      col("booking"),
      col("quote"),
      col("price"),
    ]
  )
  await db.query(
    `INSERT INTO xcover_readback (id, booking_row_id, order_id, status, attempts, next_attempt_at, created_at, updated_at)
     SELECT 'xcrb_' || r, r, ord, 'pending', 0, now() + interval '1 day', now() - interval '2 days', now() - interval '2 days'
     FROM unnest($1::text[], $2::text[]) AS t(r, ord)`,
    [col("row"), written.order_ids]
  )
  return written
}

/**
 * The drift, as the store shows it after events the plugin never received: orders cancelled
 * (`"order".status`), cover lines whose return was received (the line's `return_received_quantity`
 * in `order_item`, what a received return writes). A lost webhook leaves the store as it was: the
 * stand-in holds those policies cancelled (the parent did that).
 */
async function plantDrift(
  db: Client,
  plan: ReconcilePlan,
  orders: Written
): Promise<void> {
  const idsOf = (kind: ReconcilePlan["drift"][number]["kind"]) =>
    plan.drift
      .filter((d) => d.kind === kind)
      .map((d) => orders.order_ids[d.index])
  await db.query(
    `UPDATE "order" SET status = 'canceled', canceled_at = now(), updated_at = now() WHERE id = ANY($1)`,
    [idsOf("order_canceled")]
  )
  const returned = idsOf("returned")
  await db.query(
    `UPDATE order_item oi SET return_received_quantity = oi.quantity, raw_return_received_quantity = oi.raw_quantity, updated_at = now()
     FROM order_line_item li
     WHERE li.id = oi.item_id AND oi.order_id = ANY($1) AND li.metadata ? '${LINE_ITEM_METADATA_KEY}'`,
    [returned]
  )
  await db.query(`UPDATE "order" SET updated_at = now() WHERE id = ANY($1)`, [
    returned,
  ])
}

/**
 * One full pass over every order with a live policy (all pages in one run), timed, with each of
 * its parts (the ledger's reads and writes, Medusa's Query) timed and its statements counted.
 * The pass is sequential, so the process's statements in a part are that part's.
 */
async function timedPass(
  container: MedusaContainer,
  sql: SqlCounter
): Promise<PassFigures> {
  const phases: Record<string, PhaseFigures> = {}
  const timed =
    <A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const before = sql.statements
      const sqlBefore = sql.sqlMs
      const started = performance.now()
      try {
        return await fn(...args)
      } finally {
        const p = (phases[name] ??= {
          calls: 0,
          ms: 0,
          sql_ms: 0,
          statements: 0,
        })
        p.calls++
        p.ms += performance.now() - started
        p.sql_ms += sql.sqlMs - sqlBefore
        p.statements += sql.statements - before
      }
    }
  const deps = reconcileDepsOf(container)
  const real = deps.ledger
  const ledger: ReconcileLedger = {
    findUndecidedOrders: timed("ledger: undecided orders", (o) =>
      real.findUndecidedOrders(o)
    ),
    livePolicies: timed("ledger: live policies", (ids) =>
      real.livePolicies(ids)
    ),
    ordersWithLivePoliciesAfter: timed("ledger: next page of orders", (a, t) =>
      real.ordersWithLivePoliciesAfter(a, t)
    ),
    requestCancellations: timed(
      "ledger: ask for cancellations (repairs)",
      (input) => real.requestCancellations(input)
    ),
    claimReconcileCursor: timed("cursor: claim, advance, finish", (n, o) =>
      real.claimReconcileCursor(n, o)
    ),
    advanceReconcileCursor: timed(
      "cursor: claim, advance, finish",
      (n, o, to) => real.advanceReconcileCursor(n, o, to)
    ),
    finishReconcileRun: timed("cursor: claim, advance, finish", (n, o, r) =>
      real.finishReconcileRun(n, o, r)
    ),
    ordersToRetry: timed("ledger: orders to retry", () => real.ordersToRetry()),
  }
  sql.resetSamples()
  const before = sql.statements
  const sqlBefore = sql.sqlMs
  const started = performance.now()
  const run: ReconcileRun = await reconcileAllOrders({
    ...deps,
    ledger,
    decide: timed("placement decision", deps.decide),
    owner: `bench-${randomUUID()}`,
    loadOrders: timed("Medusa Query: load orders", (ids: string[]) =>
      loadOrderFacts(container, { id: ids })
    ),
    maxPages: Number.MAX_SAFE_INTEGER,
  })
  const ms = performance.now() - started
  const statements = sql.statements - before
  const repair = phases["ledger: ask for cancellations (repairs)"] ?? {
    calls: 0,
    ms: 0,
    sql_ms: 0,
    statements: 0,
  }
  const repaired = run.repaired.length
  const unchanged =
    run.orders_checked - new Set(run.repaired.map((r) => r.order_id)).size
  const rounded = Object.fromEntries(
    Object.entries(phases).map(([k, p]) => [
      k,
      {
        calls: p.calls,
        ms: fixed(p.ms, 1),
        sql_ms: fixed(p.sql_ms, 1),
        statements: p.statements,
      },
    ])
  )
  return {
    completed: run.completed ?? false,
    orders_checked: run.orders_checked,
    decided: run.decided.length,
    failed: run.failed.length,
    repaired: {
      order_canceled: run.repaired.filter((r) => r.reason === "order_canceled")
        .length,
      returned: run.repaired.filter((r) => r.reason === "returned").length,
      order_edited: run.repaired.filter((r) => r.reason === "order_edited")
        .length,
    },
    ms: fixed(ms, 1),
    sql_ms: fixed(sql.sqlMs - sqlBefore, 1),
    statements,
    unchanged_orders: unchanged,
    ms_per_unchanged_order: unchanged
      ? round((ms - repair.ms) / unchanged, 4)
      : null,
    statements_per_unchanged_order: unchanged
      ? round((statements - repair.statements) / unchanged, 4)
      : null,
    ms_per_repair: repaired ? round(repair.ms / repaired, 2) : null,
    statements_per_repair: repaired
      ? round(repair.statements / repaired, 2)
      : null,
    phases: rounded,
    statement_kinds: sql.samples(),
  }
}

/**
 * The books afterwards, read with the module's own rule for a live policy (`livePolicies`): none
 * on a cancelled order, none on a cover line fully returned, none that XCover holds cancelled.
 */
async function driftLeft(
  db: Client,
  xcover: XcoverModuleService,
  plan: ReconcilePlan,
  orders: Written
): Promise<ReconcileExecResult["afterwards"]> {
  const { rows: cancelled } = await db.query<{ id: string }>(
    `SELECT id FROM "order" WHERE status = 'canceled' AND deleted_at IS NULL`
  )
  const { rows: returned } = await db.query<{ order_id: string }>(
    `SELECT DISTINCT oi.order_id FROM order_item oi JOIN order_line_item li ON li.id = oi.item_id
     WHERE li.metadata ? '${LINE_ITEM_METADATA_KEY}' AND oi.return_received_quantity >= oi.quantity AND oi.deleted_at IS NULL`
  )
  const lostOrders = plan.drift
    .filter((d) => d.kind === "lost_webhook")
    .map((d) => orders.order_ids[d.index])
  const live = async (ids: string[]) =>
    ids.length ? (await xcover.livePolicies(ids)).length : 0
  const { rows: cancelledAtXcover } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM xcover_booking WHERE id = ANY($1) AND booking_status = 'CANCELLED'`,
    [plan.drift.map((d) => bookingRowId(plan, d.index))]
  )
  return {
    live_policies_on_cancelled_orders: await live(cancelled.map((r) => r.id)),
    live_policies_on_returned_covers: await live(
      returned.map((r) => r.order_id)
    ),
    live_policies_cancelled_at_xcover: await live(lostOrders),
    drifted_policies_now_cancelled: cancelledAtXcover[0].n,
    cancelled_orders: cancelled.length,
    returned_covers: returned.length,
  }
}
