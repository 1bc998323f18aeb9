// Benchmarks 3 and 5: the xcover module alone (loaded with @medusajs/test-utils' initModules on a
// real database), dispatching to the stand-in: a burst of declined offers, and memory over many
// opt-outs.
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

export type XcoverModule = { service: XcoverModuleService; shutdown(): Promise<void> }

/** The xcover module as Medusa loads it, with these options, on the given database. */
export async function loadXcoverModule(databaseUrl: string, options: XcoverPluginOptions): Promise<XcoverModule> {
  const { medusaApp, shutdown } = await initModules({
    databaseConfig: { clientUrl: databaseUrl },
    // As in a server; quiet, because this process's LOG_LEVEL is "error".
    injectedDependencies: { [ContainerRegistrationKeys.LOGGER]: logger },
    modulesConfig: { xcover: { resolve: path.join(ROOT, "src/modules/xcover"), options } },
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
export async function recordBurstOrders(xcover: XcoverModule, orders: number, label: string): Promise<string[]> {
  const orderIds = Array.from({ length: orders }, (_, i) => `order_${label}_${i}`)
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

/**
 * What a server does with a burst of placed orders: every order's dispatch at once
 * (`dispatchDueOptOuts`, as that many order.placed workflows would) while the background sweep
 * (`dispatchAllDue`, the scheduled job) runs every SWEEP_INTERVAL_MS, until `stop` is aborted.
 */
export async function dispatchBurst(service: XcoverModuleService, orderIds: string[], stop: AbortSignal): Promise<void> {
  const sweeping = (async () => {
    while (!stop.aborted) {
      await service.dispatchAllDue()
      await sleep(SWEEP_INTERVAL_MS, undefined, { signal: stop }).catch(() => undefined)
    }
  })()
  await Promise.all(orderIds.map((order_id) => service.dispatchDueOptOuts({ order_id })))
  await sweeping
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
  return summarizeBurst(await standIn.received(), { processes: 1, rateLimit, orders, started })
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
  const senders = await Promise.all(Array.from({ length: processes }, () => BurstProcess.start(databaseUrl, options)))
  try {
    await standIn.reset()
    const orderIds = await recordBurstOrders(xcover, orders, label)
    const stop = new AbortController()
    const started = Date.now()
    const dispatching = Promise.all(senders.map((s) => s.dispatch(orderIds)))
    dispatching.catch(() => stop.abort())
    await waitForAccepted(standIn, orders * 2, started, rateLimit, stop.signal)
    senders.forEach((s) => s.stop())
    await dispatching
    return summarizeBurst(await standIn.received(), { processes, rateLimit, orders, started })
  } finally {
    await Promise.all(senders.map((s) => s.exit()))
  }
}

function summarizeBurst(
  arrivals: Arrival[],
  run: { processes: number; rateLimit: number; orders: number; started: number }
): BurstResult {
  const accepted = arrivals.filter((a) => a.answer === 204)
  const count = (answer: number) => arrivals.filter((a) => a.answer === answer).length
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
    all_accepted_s: accepted.length ? round((Math.max(...accepted.map((a) => a.at)) - run.started) / 1000, 2) : null,
    max_in_one_second: maxPerSecond(arrivals.map((a) => a.at)),
  }
}

/** Until the stand-in accepted `expected` opt-outs, the dispatch failed, or a generous deadline. */
async function waitForAccepted(standIn: StandInProcess, expected: number, started: number, rateLimit: number, failed: AbortSignal) {
  const deadline = started + 60_000 + (rateLimit ? (expected / rateLimit) * 2000 : 0)
  while (!failed.aborted && Date.now() < deadline) {
    const arrivals = await standIn.received()
    if (arrivals.filter((a) => a.answer === 204).length >= expected) {
      return
    }
    await sleep(50)
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
export async function benchMemory(xcover: XcoverModule, databaseUrl: string, count: number): Promise<MemoryResult> {
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
    // Until none is due: dispatchAllDue skips when a sweep is already running.
    while ((await xcover.service.dispatchAllDue())?.sent) {
      // another sweep
    }
    const seconds = (performance.now() - started) / 1000
    const after = memory()
    const { rows } = await db.query("SELECT count(*)::int AS n FROM xcover_offer WHERE offer_id LIKE 'mem-%' AND status = 'opted_out'")
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
