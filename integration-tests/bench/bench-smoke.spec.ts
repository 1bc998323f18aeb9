import { spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import type { FullBenchResults } from "../../bench/report"

// About 160 s here, 20 of them the reconciliation of 200 orders (a Medusa boot of its own).
jest.setTimeout(300_000)

/**
 * A tiny `npm run bench`, so the benchmarks keep working as the code changes. It asserts that
 * the run succeeds and every figure is there and consistent, never how fast anything was.
 */
describe("npm run bench (tiny sizes)", () => {
  let dir: string
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("runs all the benchmarks and writes complete results", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "xcover-bench-"))
    const out = path.join(dir, "results.json")
    const root = path.resolve(__dirname, "..", "..")
    const { code, output } = await run(
      process.execPath,
      [
        "--expose-gc",
        "-r",
        "ts-node/register",
        "bench/run.ts",
        "--checkouts",
        "2",
        "--orders",
        "5",
        "--shared-orders",
        "5",
        "--mixed-orders",
        "5",
        "--calls",
        "200",
        "--optouts",
        "200",
        "--quotes",
        "3",
        "--reconcile-orders",
        "200",
        "--out",
        out,
      ],
      root
    )
    if (code !== 0) {
      throw new Error(`bench exited with ${code}:\n${output}`)
    }
    const r = JSON.parse(readFileSync(out, "utf8")) as FullBenchResults
    expect(r.machine.load_average?.start).toHaveLength(3)
    expect(r.machine.load_average?.end).toHaveLength(3)
    expect(r.sizes).toEqual({
      checkouts: 2,
      orders: 5,
      shared_orders: 5,
      mixed_orders: 5,
      calls: 200,
      optouts: 200,
      quotes: 3,
      reconcile_orders: 200,
    })
    for (const n of [
      r.checkout.with_plugin_ms.median,
      r.checkout.without_plugin_ms.median,
      r.checkout.ratio_median,
      r.checkout.dispatch_latency_ms.p99,
      r.checkout.booking_latency_ms.p50,
      r.checkout.booking_latency_ms.p99,
      r.checkout.cover_booking_latency_ms.p50,
      r.checkout.cover_booking_latency_ms.p99,
      r.checkout.with_cover_ms.median,
      r.checkout.cover_ratio_median,
      r.client.xcover_client_calls_per_s,
      r.client.bare_undici_calls_per_s,
      r.client.ratio,
      r.memory.rss_mb.after,
      r.memory.heap_used_mb.after,
    ]) {
      expect(Number.isFinite(n)).toBe(true)
    }
    // The measured rounds sent one opt-out (the declined offer) and two confirms (the taken
    // storefront offer, the cover) per checkout, each once.
    expect(r.checkout.requests_by_route.opt_out).toBe(r.checkout.samples)
    expect(r.checkout.requests_by_route.confirm).toBe(2 * r.checkout.samples)
    expect(
      r.burst.map((b) => [
        b.processes,
        b.rate_limit_per_s,
        b.accepted,
        b.opt_outs,
      ])
    ).toEqual([
      [1, "off", 10, 10],
      [1, 20, 10, 10],
      [2, 20, 10, 10],
    ])
    for (const b of r.burst) {
      // Every request the stand-in received is counted once, whatever it answered.
      expect(b.requests).toBe(
        b.accepted + b.answers_409 + b.answers_429 + b.other_answers
      )
      expect(b.sends_per_offer).toBe(
        Number((b.requests / b.opt_outs).toFixed(3))
      )
      expect(Number.isFinite(b.all_accepted_s)).toBe(true)
      expect(b.max_in_one_second).toBeGreaterThan(0)
      expect(b.max_in_one_second).toBeLessThanOrEqual(b.requests)
    }
    expect(r.client.non_204_answers).toBe(0)
    expect(r.memory.opted_out).toBe(200)

    const q = r.quotes
    expect(q.rounds).toBe(3)
    // Every quote call is counted once, whatever it answered; against the stand-in all are offers.
    const total = (a: typeof q.fresh.answers) =>
      a.status_200 + a.status_503 + a.other
    expect(total(q.fresh.answers)).toBe(q.rounds)
    expect(total(q.reused.answers)).toBe(q.rounds)
    expect(q.fresh.answers.status_200).toBe(q.rounds)
    expect(q.reused.answers.status_200).toBe(q.rounds)
    // Each new line asked XCover once; quoting it again answered the same offer without a call.
    expect(q.fresh.create_offer_requests).toBe(q.rounds)
    expect(q.reused.same_offer).toBe(q.rounds)
    // Every offer answered was matched to the stand-in's own time for its request.
    expect(q.fresh.timed).toBe(q.rounds)
    // ...and to the handler's own time, which the route reported for every quote.
    const measured = [
      q.fresh.total_ms,
      q.fresh.stand_in_ms,
      q.fresh.plugin_adds_ms,
      q.fresh.handler_ms,
      q.fresh.handler_adds_ms,
      q.reused.total_ms,
      q.reused.handler_ms,
      q.get_cart_ms,
    ]
    for (const p of measured) {
      expect(Number.isFinite(p.p50)).toBe(true)
      expect(Number.isFinite(p.p99)).toBe(true)
      expect(p.p50 as number).toBeLessThanOrEqual(p.p99 as number)
    }
    // The server counted each request's statements: a quote reads at least the ledger, a repeated one writes nothing.
    for (const f of [
      q.fresh.statements,
      q.reused.statements,
      q.get_cart_statements,
    ]) {
      expect(f?.p50).toBeGreaterThan(0)
      expect(f?.p50 as number).toBeLessThanOrEqual(f?.max as number)
    }
    expect(
      Object.keys(q.reused.statements?.breakdown ?? {}).some((kind) =>
        /^(INSERT|UPDATE)/.test(kind)
      )
    ).toBe(false)
    expect(Number.isFinite(q.fresh.ratio_to_get_cart)).toBe(true)
    expect(Number.isFinite(q.reused.ratio_to_get_cart)).toBe(true)
    // The handler runs inside the request: never longer than the client waited.
    expect(q.reused.handler_ms.p50 as number).toBeLessThan(
      q.reused.total_ms.p50 as number
    )
    expect(output).toContain("| 6. quote")

    const x = r.mixed_burst
    expect([
      x.processes,
      x.rate_limit_per_s,
      x.orders,
      x.taken_offers,
      x.declined_offers,
    ]).toEqual([2, 20, 5, 5, 5])
    // Every request the stand-in received is counted once, by route and answer.
    const sum = (a: typeof x.confirm) =>
      a.status_200 +
      a.status_204 +
      a.status_409 +
      a.status_423 +
      a.status_429 +
      a.other
    expect(x.requests).toBe(sum(x.confirm) + sum(x.opt_out) + x.other_routes)
    expect(x.confirms_per_taken_offer).toBe(
      Number((sum(x.confirm) / x.taken_offers).toFixed(3))
    )
    expect(x.opt_outs_per_declined_offer).toBe(
      Number((sum(x.opt_out) / x.declined_offers).toFixed(3))
    )
    // Each taken offer was booked and each declined one opted out, once, within the shared limit.
    expect([x.confirm.status_200, x.opt_out.status_204]).toEqual([5, 5])
    expect([x.confirms_per_taken_offer, x.opt_outs_per_declined_offer]).toEqual(
      [1, 1]
    )
    expect(x.repeated).toEqual({ confirm: 0, opt_out: 0 })
    expect(x.ledger).toEqual({
      bookings_booked: 5,
      bookings_other: 0,
      declined_opted_out: 5,
      declined_other: 0,
    })
    expect(Number.isFinite(x.all_done_s)).toBe(true)
    expect(x.max_in_one_second).toBeGreaterThan(0)
    expect(x.max_in_one_second).toBeLessThanOrEqual(
      Math.min(x.requests, x.rate_limit_per_s as number)
    )
    expect(output).toContain("| 7. burst")

    // 200 orders, 1 % drifted but at least one of each kind: the pass finds exactly what was planted.
    const z = r.reconcile
    expect([z.orders, z.drifted]).toEqual([
      200,
      { order_canceled: 1, returned: 1, lost_webhook: 1 },
    ])
    const p1 = z.first_pass
    expect([p1.completed, p1.orders_checked, p1.decided, p1.failed]).toEqual([
      true,
      200,
      0,
      0,
    ])
    // The lost webhook is not the order pass's to see: the store's order never changed.
    expect(p1.repaired).toEqual({
      order_canceled: 1,
      returned: 1,
      order_edited: 0,
    })
    expect(p1.unchanged_orders).toBe(198)
    expect(z.second_pass.repaired).toEqual({
      order_canceled: 0,
      returned: 0,
      order_edited: 0,
    })
    expect(z.second_pass.unchanged_orders).toBe(200)
    // Every statement is counted, Medusa Query's among them.
    expect(p1.phases["Medusa Query: load orders"].statements).toBeGreaterThan(0)
    expect(p1.statements).toBe(
      Object.values(p1.phases).reduce((sum, p) => sum + p.statements, 0)
    )
    for (const n of [
      p1.ms_per_unchanged_order,
      p1.statements_per_unchanged_order,
      p1.ms_per_repair,
      p1.statements_per_repair,
    ]) {
      expect(Number.isFinite(n)).toBe(true)
    }
    // Then the cancellations went out and the lost webhook's read-back found it: no drift left.
    expect(z.requests_by_route).toEqual({
      cancel: 2,
      confirm_cancellation: 2,
      get_booking: 1,
    })
    expect(z.afterwards).toEqual({
      live_policies_on_cancelled_orders: 0,
      live_policies_on_returned_covers: 0,
      live_policies_cancelled_at_xcover: 0,
      drifted_policies_now_cancelled: 3,
      cancelled_orders: 1,
      returned_covers: 1,
    })
    expect(output).toContain("| 8. reconciliation")
    expect(output).toContain("| benchmark")
  })
})

function run(
  cmd: string,
  args: string[],
  cwd: string
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // scripts/test.mjs passes its PostgreSQL as DB_*: the bench uses that one rather than
    // starting another embedded server (its database names are unique).
    const env = process.env.DB_HOST
      ? { ...process.env, XCOVER_DB: "" }
      : process.env
    const child = spawn(cmd, args, {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    })
    let output = ""
    child.stdout.on("data", (d) => (output += d))
    child.stderr.on("data", (d) => (output += d))
    child.on("exit", (code) => resolve({ code, output }))
  })
}
