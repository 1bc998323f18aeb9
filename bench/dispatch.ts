// Benchmarks 3, 5 and 7: the xcover module alone (loaded with @medusajs/test-utils' initModules on
// a real database), dispatching to the stand-in: a burst of declined offers, memory over many
// opt-outs, and a burst of orders that each book one offer and opt out of another.
import path from "node:path"
import { setTimeout as sleep } from "node:timers/promises"
import { logger } from "@medusajs/framework/logger"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { initModules } from "@medusajs/test-utils"
import { Client } from "pg"
import type XcoverModuleService from "../src/modules/xcover/service"
import type { XcoverPluginOptions } from "../src/modules/xcover"
import { ROOT } from "../scripts/lib/medusa"
import { BurstProcess } from "./burst-process"
import type { Arrival, StandInProcess } from "./stand-in-process"
import { maxPerSecond, round } from "./stats"
import { runPool } from "./workers"

export type XcoverModule = {
  service: XcoverModuleService
  shutdown(): Promise<void>
}

/** The xcover module as Medusa loads it, with these options, on the given database. */
export async function loadXcoverModule(
  databaseUrl: string,
  options: XcoverPluginOptions
): Promise<XcoverModule> {
  const { medusaApp, shutdown } = await initModules({
    databaseConfig: { clientUrl: databaseUrl },
    // As in a server; quiet, because this process's LOG_LEVEL is "error".
    injectedDependencies: { [ContainerRegistrationKeys.LOGGER]: logger },
    modulesConfig: {
      xcover: { resolve: path.join(ROOT, "src/modules/xcover"), options },
    },
    cwd: ROOT,
  })
  return { service: medusaApp.modules.xcover as XcoverModuleService, shutdown }
}

export type BurstResult = {
  /** OS processes dispatching the same offers, each with the module loaded on the same database. */
  processes: number
  rate_limit_per_s: number | "off"
  orders: number
  opt_outs: number
  /** Every request the stand-in received for the burst, whatever it answered. */
  requests: number
  /** Requests per opt-out: 1 when no offer was sent twice. */
  sends_per_offer: number | null
  /** Answered 204: offers opted out. */
  accepted: number
  /** Answered 409: repeats of an idempotency key XCover had already accepted. */
  answers_409: number
  /** Answered 429: throttled. */
  answers_429: number
  /** Any other answer (or none: hang, reset). */
  other_answers: number
  /** From the start until the stand-in accepted the last opt-out. */
  all_accepted_s: number | null
  /** The most requests (of any answer) the stand-in received in any one-second window. */
  max_in_one_second: number
}

/** How often the background sweep runs during a burst, as the scheduled job does in a busy store. */
export const SWEEP_INTERVAL_MS = 2_000

/** `orders` orders with two declined offers each, recorded as the order.placed workflow does. */
export async function recordBurstOrders(
  xcover: XcoverModule,
  orders: number,
  label: string
): Promise<string[]> {
  const orderIds = Array.from(
    { length: orders },
    (_, i) => `order_${label}_${i}`
  )
  await runPool(orders, 8, async (i) => {
    await xcover.service.recordOrderOffers({
      order_id: orderIds[i],
      cart_id: `cart_${label}_${i}`,
      placed_at: new Date(),
      metadata_offer_ids: [`${label}-${i}-a`, `${label}-${i}-b`],
      selected_offer_ids: [],
    })
  })
  return orderIds
}

/** What a burst dispatches: opt-outs of declined offers, confirms of taken ones (bookings). */
export type BurstKind = "opt_out" | "booking"

/** Per kind: one order's immediate dispatch (the order.placed workflow's step) and the job's sweep. */
const KINDS: Record<
  BurstKind,
  {
    order(s: XcoverModuleService, order_id: string): Promise<unknown>
    sweep(s: XcoverModuleService): Promise<unknown>
  }
> = {
  opt_out: {
    order: (s, order_id) => s.dispatchDueOptOuts({ order_id }),
    sweep: (s) => s.dispatchAllDueOptOuts(),
  },
  booking: {
    order: (s, order_id) => s.dispatchDueBookings({ order_id }),
    sweep: (s) => s.dispatchAllDueBookings(),
  },
}

/**
 * What a server does with a burst of placed orders: every order's dispatch of each kind at once
 * (`dispatchDueOptOuts`, `dispatchDueBookings`, as that many order.placed workflows would) while
 * the background sweep of each kind (`dispatchAllDueOptOuts`, `dispatchAllDueBookings`, the scheduled
 * job) runs every SWEEP_INTERVAL_MS, until `stop` is aborted.
 */
export async function dispatchBurst(
  service: XcoverModuleService,
  orderIds: string[],
  stop: AbortSignal,
  kinds: BurstKind[] = ["opt_out"]
): Promise<void> {
  const sweeping = kinds.map(async (kind) => {
    while (!stop.aborted) {
      await KINDS[kind].sweep(service)
      await sleep(SWEEP_INTERVAL_MS, undefined, { signal: stop }).catch(
        () => undefined
      )
    }
  })
  await Promise.all(
    orderIds.flatMap((order_id) =>
      kinds.map((kind) => KINDS[kind].order(service, order_id))
    )
  )
  await Promise.all(sweeping)
}

/**
 * One process's burst: `orders` orders with two declined offers each are recorded, then
 * dispatched as a server would (`dispatchBurst`), until the stand-in accepted every opt-out.
 */
export async function benchBurst(
  xcover: XcoverModule,
  standIn: StandInProcess,
  orders: number,
  label: string,
  rateLimit: number
): Promise<BurstResult> {
  await standIn.reset()
  const orderIds = await recordBurstOrders(xcover, orders, label)
  const stop = new AbortController()
  const started = Date.now()
  const dispatching = dispatchBurst(xcover.service, orderIds, stop.signal)
  // A dispatch that throws ends the wait at once instead of at the deadline.
  dispatching.catch(() => stop.abort())
  await waitForAccepted(standIn, orders * 2, started, rateLimit, stop.signal)
  stop.abort()
  await dispatching
  return summarizeBurst(await standIn.received(), {
    processes: 1,
    rateLimit,
    orders,
    started,
  })
}

/**
 * The same burst on several OS processes (`BurstProcess`), each with the module loaded on the
 * same database and the same options, all dispatching the same recorded orders at once: the
 * rate budget is the account's, shared through the database.
 */
export async function benchSharedBurst(
  xcover: XcoverModule,
  standIn: StandInProcess,
  databaseUrl: string,
  options: XcoverPluginOptions,
  orders: number,
  processes: number
): Promise<BurstResult> {
  const label = `shared${processes}`
  const rateLimit = options.maxRequestsPerSecond ?? 0
  const senders = await Promise.all(
    Array.from({ length: processes }, () =>
      BurstProcess.start(databaseUrl, options)
    )
  )
  try {
    await standIn.reset()
    const orderIds = await recordBurstOrders(xcover, orders, label)
    const stop = new AbortController()
    const started = Date.now()
    const dispatching = Promise.all(
      senders.map((s) => s.dispatch(orderIds, ["opt_out"]))
    )
    dispatching.catch(() => stop.abort())
    await waitForAccepted(standIn, orders * 2, started, rateLimit, stop.signal)
    senders.forEach((s) => s.stop())
    await dispatching
    return summarizeBurst(await standIn.received(), {
      processes,
      rateLimit,
      orders,
      started,
    })
  } finally {
    await Promise.all(senders.map((s) => s.exit()))
  }
}

function summarizeBurst(
  arrivals: Arrival[],
  run: { processes: number; rateLimit: number; orders: number; started: number }
): BurstResult {
  const accepted = arrivals.filter((a) => a.answer === 204)
  const count = (answer: number) =>
    arrivals.filter((a) => a.answer === answer).length
  const optOuts = run.orders * 2
  return {
    processes: run.processes,
    rate_limit_per_s: run.rateLimit || "off",
    orders: run.orders,
    opt_outs: optOuts,
    requests: arrivals.length,
    sends_per_offer: round(arrivals.length / optOuts, 3),
    accepted: accepted.length,
    answers_409: count(409),
    answers_429: count(429),
    other_answers: arrivals.length - accepted.length - count(409) - count(429),
    all_accepted_s: accepted.length
      ? round((Math.max(...accepted.map((a) => a.at)) - run.started) / 1000, 2)
      : null,
    max_in_one_second: maxPerSecond(arrivals.map((a) => a.at)),
  }
}

/** Until the stand-in accepted `expected` opt-outs, the dispatch failed, or a generous deadline. */
async function waitForAccepted(
  standIn: StandInProcess,
  expected: number,
  started: number,
  rateLimit: number,
  failed: AbortSignal
) {
  await waitForArrivals(
    standIn,
    (arrivals) => arrivals.filter((a) => a.answer === 204).length >= expected,
    expected,
    started,
    rateLimit,
    failed,
    50
  )
}

/** Until `done` holds for the stand-in's arrivals, the dispatch failed, or a generous deadline for `expected` requests. */
async function waitForArrivals(
  standIn: StandInProcess,
  done: (arrivals: Arrival[]) => boolean,
  expected: number,
  started: number,
  rateLimit: number,
  failed: AbortSignal,
  pollMs: number
) {
  const deadline =
    started + 60_000 + (rateLimit ? (expected / rateLimit) * 2000 : 0)
  while (!failed.aborted && Date.now() < deadline) {
    if (done(await standIn.received())) {
      return
    }
    await sleep(pollMs)
  }
}

/** Answers of one route's requests, as the stand-in gave them (a hang or a reset is `other`). */
export type AnswerCounts = {
  status_200: number
  status_204: number
  status_409: number
  status_423: number
  status_429: number
  other: number
}

export type MixedBurstResult = {
  processes: number
  rate_limit_per_s: number | "off"
  orders: number
  /** One per order: booked through Confirm Offer (quote known to the stand-in). */
  taken_offers: number
  /** One per order: opted out. */
  declined_offers: number
  /** Every request the stand-in received for the burst, whatever the route or answer. */
  requests: number
  /** Confirm Offer requests per taken offer: 1 when none was sent twice. */
  confirms_per_taken_offer: number | null
  /** Opt-out requests per declined offer: 1 when none was sent twice. */
  opt_outs_per_declined_offer: number | null
  /** Requests for an offer of that route beyond its first (a send repeated, whatever the answer). */
  repeated: { confirm: number; opt_out: number }
  /** Per route, by answer. */
  confirm: AnswerCounts
  opt_out: AnswerCounts
  /** Requests on any other route (say, Get Booking after a 422 "already exists"). */
  other_routes: number
  /** The most requests (of both kinds, any answer) the stand-in received in any one-second window. */
  max_in_one_second: number
  /** From the start of dispatching until the stand-in answered the last confirm 200 or opt-out 204. */
  all_done_s: number | null
  /** The ledger once the dispatches ended: bookings `booked` and declined offers `opted_out`, and the rest. */
  ledger: {
    bookings_booked: number
    bookings_other: number
    declined_opted_out: number
    declined_other: number
  }
}

/** The seeded insurance price the stand-in knows the taken offers' quotes at (any price would do). */
const MIXED_QUOTE_PRICE = 5

/**
 * `orders` orders, each with one taken offer (a storefront's, its quote known to the stand-in)
 * and one declined, recorded exactly as the order.placed decision does with booking on
 * (`recordOrderOffers` with `booking`): one pending booking and one pending opt-out per order.
 */
export async function recordMixedOrders(
  xcover: XcoverModule,
  standIn: StandInProcess,
  orders: number,
  label: string
): Promise<string[]> {
  const orderIds = Array.from(
    { length: orders },
    (_, i) => `order_${label}_${i}`
  )
  const taken = (i: number) => `${label}-${i}-taken`
  const quote = (i: number) => `${label}-${i}-quote`
  await standIn.knowOffers(
    orderIds.map((_, i) => ({
      offerId: taken(i),
      quotes: [{ id: quote(i), price: MIXED_QUOTE_PRICE }],
      currency: "EUR",
    }))
  )
  await runPool(orders, 8, async (i) => {
    const result = await xcover.service.recordOrderOffers({
      order_id: orderIds[i],
      cart_id: `cart_${label}_${i}`,
      placed_at: new Date(),
      metadata_offer_ids: [taken(i), `${label}-${i}-declined`],
      selected_offer_ids: [taken(i)],
      booking: {
        policyholder: {
          first_name: "Ada",
          last_name: "Lovelace",
          email: `ada-${i}@example.com`,
          country: "DE",
        },
        currency: "EUR",
        lines: [
          {
            offer_id: taken(i),
            quote_ids: [quote(i)],
            charged_amount: MIXED_QUOTE_PRICE,
            cover: false,
          },
        ],
      },
    })
    if (
      result.bookings?.length !== 1 ||
      result.bookings_failed?.length ||
      result.declined.length !== 1
    ) {
      throw new Error(
        `order ${orderIds[i]} was not recorded with one booking and one opt-out: ${JSON.stringify(result)}`
      )
    }
  })
  return orderIds
}

/**
 * Bookings and opt-outs in one burst, at the account's shared rate budget: `orders` orders of one
 * taken and one declined offer each are recorded, then `processes` OS processes (`BurstProcess`,
 * the module loaded on the same database) dispatch them as servers do, both kinds at once
 * (`dispatchBurst` with both kinds), until the stand-in booked every taken offer and accepted every
 * opt-out. Counted from the stand-in's arrivals, whatever they answered; then the ledger is read.
 */
export async function benchMixedBurst(
  xcover: XcoverModule,
  standIn: StandInProcess,
  databaseUrl: string,
  options: XcoverPluginOptions,
  orders: number,
  processes: number
): Promise<MixedBurstResult> {
  const label = `mixed${processes}`
  const rateLimit = options.maxRequestsPerSecond ?? 0
  const senders = await Promise.all(
    Array.from({ length: processes }, () =>
      BurstProcess.start(databaseUrl, options)
    )
  )
  try {
    await standIn.reset()
    const orderIds = await recordMixedOrders(xcover, standIn, orders, label)
    const stop = new AbortController()
    const started = Date.now()
    const dispatching = Promise.all(
      senders.map((s) => s.dispatch(orderIds, ["opt_out", "booking"]))
    )
    dispatching.catch(() => stop.abort())
    const done = (arrivals: Arrival[]) =>
      arrivals.filter((a) => a.route === "confirm" && a.answer === 200)
        .length >= orders &&
      arrivals.filter((a) => a.route === "opt_out" && a.answer === 204)
        .length >= orders
    // Polled less often than the other bursts: 4,000 arrivals per look at the default size.
    await waitForArrivals(
      standIn,
      done,
      orders * 2,
      started,
      rateLimit,
      stop.signal,
      200
    )
    senders.forEach((s) => s.stop())
    await dispatching
    const arrivals = await standIn.received()
    return {
      ...summarizeMixed(arrivals, { processes, rateLimit, orders, started }),
      ledger: await readMixedLedger(databaseUrl, label),
    }
  } finally {
    await Promise.all(senders.map((s) => s.exit()))
  }
}

function summarizeMixed(
  arrivals: Arrival[],
  run: { processes: number; rateLimit: number; orders: number; started: number }
): Omit<MixedBurstResult, "ledger"> {
  const confirms = arrivals.filter((a) => a.route === "confirm")
  const optOuts = arrivals.filter((a) => a.route === "opt_out")
  const done = arrivals.filter(
    (a) =>
      (a.route === "confirm" && a.answer === 200) ||
      (a.route === "opt_out" && a.answer === 204)
  )
  const repeated = (list: Arrival[]) =>
    list.length - new Set(list.map((a) => a.offerId)).size
  return {
    processes: run.processes,
    rate_limit_per_s: run.rateLimit || "off",
    orders: run.orders,
    taken_offers: run.orders,
    declined_offers: run.orders,
    requests: arrivals.length,
    confirms_per_taken_offer: round(confirms.length / run.orders, 3),
    opt_outs_per_declined_offer: round(optOuts.length / run.orders, 3),
    repeated: { confirm: repeated(confirms), opt_out: repeated(optOuts) },
    confirm: countAnswers(confirms),
    opt_out: countAnswers(optOuts),
    other_routes: arrivals.length - confirms.length - optOuts.length,
    max_in_one_second: maxPerSecond(arrivals.map((a) => a.at)),
    all_done_s: done.length
      ? round((Math.max(...done.map((a) => a.at)) - run.started) / 1000, 2)
      : null,
  }
}

function countAnswers(arrivals: Arrival[]): AnswerCounts {
  const count = (answer: number) =>
    arrivals.filter((a) => a.answer === answer).length
  const counts = {
    status_200: count(200),
    status_204: count(204),
    status_409: count(409),
    status_423: count(423),
    status_429: count(429),
  }
  return {
    ...counts,
    other: arrivals.length - Object.values(counts).reduce((a, b) => a + b, 0),
  }
}

async function readMixedLedger(
  databaseUrl: string,
  label: string
): Promise<MixedBurstResult["ledger"]> {
  const db = new Client({ connectionString: databaseUrl })
  await db.connect()
  try {
    const { rows: bookings } = await db.query(
      `SELECT count(*) FILTER (WHERE status = 'booked')::int AS booked, count(*) FILTER (WHERE status <> 'booked')::int AS other
       FROM xcover_booking WHERE order_id LIKE $1 AND deleted_at IS NULL`,
      [`order\\_${label}\\_%`]
    )
    const { rows: declined } = await db.query(
      `SELECT count(*) FILTER (WHERE status = 'opted_out')::int AS opted_out, count(*) FILTER (WHERE status <> 'opted_out')::int AS other
       FROM xcover_offer WHERE offer_id LIKE $1 AND deleted_at IS NULL`,
      [`${label}-%-declined`]
    )
    return {
      bookings_booked: bookings[0].booked,
      bookings_other: bookings[0].other,
      declined_opted_out: declined[0].opted_out,
      declined_other: declined[0].other,
    }
  } finally {
    await db.end()
  }
}

export type MemoryResult = {
  opt_outs: number
  opted_out: number
  rss_mb: { before: number | null; after: number | null }
  heap_used_mb: { before: number | null; after: number | null }
  seconds: number | null
}

/**
 * Process memory (after a full GC when node runs with --expose-gc) before and after the module
 * dispatches `count` due opt-outs. The rows are inserted in one statement: this measures sending,
 * not recording.
 */
export async function benchMemory(
  xcover: XcoverModule,
  databaseUrl: string,
  count: number
): Promise<MemoryResult> {
  const db = new Client({ connectionString: databaseUrl })
  await db.connect()
  try {
    await db.query(
      `INSERT INTO xcover_offer (id, offer_id, cart_id, order_id, source, status, attempts, idempotency_key, declined_at, next_attempt_at, created_at, updated_at)
       SELECT 'xco_mem_' || g, 'mem-' || g, 'cart_mem_' || (g / 2), 'order_mem_' || (g / 2), 'store_route', 'pending', 0,
              'medusa-xcover-opt-out-mem-' || g, now(), now(), now(), now()
       FROM generate_series(1, $1::int) AS g`,
      [count]
    )
    const before = memory()
    const started = performance.now()
    // Until none is due: dispatchAllDueOptOuts skips when a sweep is already running.
    while ((await xcover.service.dispatchAllDueOptOuts())?.sent) {
      // another sweep
    }
    const seconds = (performance.now() - started) / 1000
    const after = memory()
    const { rows } = await db.query(
      "SELECT count(*)::int AS n FROM xcover_offer WHERE offer_id LIKE 'mem-%' AND status = 'opted_out'"
    )
    return {
      opt_outs: count,
      opted_out: rows[0].n,
      rss_mb: { before: before.rss, after: after.rss },
      heap_used_mb: { before: before.heap, after: after.heap },
      seconds: round(seconds, 1),
    }
  } finally {
    await db.end()
  }
}

function memory(): { rss: number | null; heap: number | null } {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const { rss, heapUsed } = process.memoryUsage()
  return { rss: round(rss / 2 ** 20), heap: round(heapUsed / 2 ** 20) }
}
