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
import type { StandInProcess } from "./stand-in-process"
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
  rate_limit_per_s: number | "off"
  orders: number
  opt_outs: number
  all_accepted_s: number | null
  max_in_one_second: number
  accepted: number
}

/**
 * `orders` orders with two declined offers each are recorded as the order.placed workflow does
 * (`recordOrderOffers`), then every order's dispatch starts at once (`dispatchDueOptOuts`, as
 * that many order.placed workflows would). Measured: from that start until the stand-in
 * accepted the last opt-out, and the most arrivals in any one-second window.
 */
export async function benchBurst(
  xcover: XcoverModule,
  standIn: StandInProcess,
  orders: number,
  label: string,
  rateLimit: number
): Promise<BurstResult> {
  await standIn.reset()
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
  const started = Date.now()
  await Promise.all(orderIds.map((order_id) => xcover.service.dispatchDueOptOuts({ order_id })))
  const arrivals = await waitForAccepted(standIn, orders * 2, started, rateLimit)
  const accepted = arrivals.filter((a) => a.answer === 204)
  return {
    rate_limit_per_s: rateLimit || "off",
    orders,
    opt_outs: orders * 2,
    all_accepted_s: accepted.length ? round((Math.max(...accepted.map((a) => a.at)) - started) / 1000, 2) : null,
    max_in_one_second: maxPerSecond(accepted.map((a) => a.at)),
    accepted: accepted.length,
  }
}

async function waitForAccepted(standIn: StandInProcess, expected: number, started: number, rateLimit: number) {
  // Dispatch has already returned; this only covers the IPC round trip, with a generous deadline.
  const deadline = started + 60_000 + (rateLimit ? (expected / rateLimit) * 2000 : 0)
  for (;;) {
    const arrivals = await standIn.received()
    if (arrivals.filter((a) => a.answer === 204).length >= expected || Date.now() > deadline) {
      return arrivals
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
