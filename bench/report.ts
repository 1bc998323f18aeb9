import type { CheckoutResult } from "./checkout"
import type { ClientResult } from "./client"
import type {
  AnswerCounts,
  BurstResult,
  MemoryResult,
  MixedBurstResult,
} from "./dispatch"
import type { QuoteAnswers, QuoteResult, StatementFigures } from "./quotes"
import type { ReconcileResult } from "./reconcile"

/** The benchmarks' results, each a section of bench/results.json. */
export type BenchSections = {
  checkout: CheckoutResult
  burst: BurstResult[]
  /** Benchmark 7: bookings and opt-outs in one burst at a shared budget. */
  mixed_burst: MixedBurstResult
  client: ClientResult
  memory: MemoryResult
  quotes: QuoteResult
  /** Benchmark 8: one reconciliation full pass, 1 % of the orders drifted. */
  reconcile: ReconcileResult
}

/** The shape of bench/results.json: the sections of the benchmarks that ran (all, or `--only`'s). */
export type BenchResults = Partial<BenchSections> & {
  date: string
  machine: {
    cpus: number
    cpu_model: string
    memory_gib: number
    node: string
    platform: string
    /** `os.loadavg()` (1, 5, 15 min) when the run started (what else was running) and ended (the bench included). */
    load_average?: { start: number[]; end: number[] }
  }
  sizes: {
    checkouts: number
    orders: number
    shared_orders: number
    mixed_orders: number
    calls: number
    optouts: number
    quotes: number
    reconcile_orders: number
  }
}

/** A full run's results: every section. */
export type FullBenchResults = BenchResults & BenchSections

const v = (n: number | string | null, unit = "") =>
  n === null ? "n/a" : `${n}${unit}`
const p50p99 = (p: { p50: number | null; p99: number | null }) =>
  `p50 ${v(p.p50, " ms")}, p99 ${v(p.p99, " ms")}`
const latency = (p: {
  p50: number | null
  p95: number | null
  p99: number | null
}) => `p50 ${v(p.p50, " ms")}, p95 ${v(p.p95, " ms")}, p99 ${v(p.p99, " ms")}`
const routeAnswers = (a: AnswerCounts) =>
  `${a.status_200} x 200, ${a.status_204} x 204, ${a.status_409} x 409, ${a.status_423} x 423, ${a.status_429} x 429, ${a.other} other`
const answers = (a: QuoteAnswers) =>
  `answers: ${a.status_200} x 200, ${a.status_503} x 503, ${a.other} other`

/** The results as a Markdown table (bench/README.md shows it as printed). */
export function formatTable(r: BenchResults): string {
  const rows: [string, string][] = [
    ...(isFull(r) ? fullRows(r) : r.quotes ? quoteRows(r.quotes) : []),
    ...(r.reconcile ? reconcileRows(r.reconcile) : []),
  ]
  const width = Math.max(...rows.map(([a]) => a.length))
  const lines = [
    `| ${"benchmark".padEnd(width)} | result |`,
    `| ${"-".repeat(width)} | ------ |`,
    ...rows.map(([a, b]) => `| ${a.padEnd(width)} | ${b} |`),
  ]
  const load = r.machine.load_average
  const machine =
    `${r.machine.cpus} CPUs (${r.machine.cpu_model}), ${r.machine.memory_gib} GiB, Node ${r.machine.node}, ${r.machine.platform}` +
    (load
      ? `; load average ${load.start.join(" ")} at the start, ${load.end.join(" ")} at the end`
      : "")
  return `${lines.join("\n")}\n\n${machine}; ${r.date}`
}

/** Benchmark 6: the quote route's times and statements beside Medusa's own `GET /store/carts/:id`. */
function quoteRows(q: QuoteResult): [string, string][] {
  const sql = (f: StatementFigures | null) =>
    f ? `; ${v(f.p50)} SQL statements (max ${v(f.max)})` : ""
  const target = (ratio: number | null | undefined, limit: number) =>
    `${v(ratio ?? null)} of GET cart's p50 (target <= ${limit})`
  return [
    [
      `6. quote, \`POST /store/carts/:id/xcover-offers/quote\` (n=${q.rounds}, one at a time)`,
      "",
    ],
    [
      "   new line, total at the client",
      `${p50p99(q.fresh.total_ms)}; ${answers(q.fresh.answers)}`,
    ],
    [
      "   new line, the stand-in's own time (Create Offer)",
      `${p50p99(q.fresh.stand_in_ms)}; ${q.fresh.create_offer_requests} requests, ${q.fresh.timed} timed`,
    ],
    [
      "   new line, total - stand-in (Medusa's HTTP stack included)",
      `${p50p99(q.fresh.plugin_adds_ms)}; ${v(q.fresh.client_ratio_to_get_cart)} of GET cart's p50`,
    ],
    ["   new line, the handler (Server-Timing)", p50p99(q.fresh.handler_ms)],
    [
      "   new line, plugin adds (handler - stand-in, per quote)",
      `${p50p99(q.fresh.handler_adds_ms)}${sql(q.fresh.statements)}`,
    ],
    [
      "   new line, plugin adds / GET cart",
      target(q.fresh.ratio_to_get_cart, 0.5),
    ],
    [
      "   same line again, the recorded offer (no XCover call)",
      `${p50p99(q.reused.total_ms)} at the client (${v(q.reused.client_ratio_to_get_cart)} of GET cart's p50)${sql(q.reused.statements)}; ${answers(q.reused.answers)}, ${q.reused.same_offer} same offer`,
    ],
    [
      "   same line again, the handler (Server-Timing): plugin adds",
      p50p99(q.reused.handler_ms),
    ],
    [
      "   same line again, plugin adds / GET cart",
      target(q.reused.ratio_to_get_cart, 0.25),
    ],
    [
      "   for scale: Medusa's own GET /store/carts/:id",
      `${p50p99(q.get_cart_ms)}${sql(q.get_cart_statements)}`,
    ],
    ...(q.fresh.statements
      ? [
          breakdownRow("   statements of a new quote", q.fresh.statements),
          breakdownRow(
            "   statements of a repeated quote",
            q.reused.statements
          ),
        ]
      : []),
  ]
}

function breakdownRow(
  label: string,
  f: StatementFigures | null
): [string, string] {
  const parts = Object.entries(f?.breakdown ?? {}).map(([kind, n]) =>
    n > 1 ? `${kind} x ${n}` : kind
  )
  return [label, parts.length ? parts.join(", ") : "n/a"]
}

/** Benchmarks 1 to 7 ran (not `--only reconcile`). */
function isFull(
  r: BenchResults
): r is BenchResults & Omit<BenchSections, "reconcile"> {
  return !!(
    r.checkout &&
    r.burst &&
    r.mixed_burst &&
    r.client &&
    r.memory &&
    r.quotes
  )
}

function fullRows(r: Omit<BenchSections, "reconcile">): [string, string][] {
  const { checkout: c, client: k, memory: m, quotes: q, mixed_burst: x } = r
  return [
    [
      `1. checkout, \`POST /store/carts/:id/complete\` (n=${c.samples} each)`,
      "",
    ],
    [
      "   with the plugin, 1 taken + 1 declined offer",
      `median ${v(c.with_plugin_ms.median, " ms")}, p95 ${v(c.with_plugin_ms.p95, " ms")}`,
    ],
    [
      "   same store without the plugin",
      `median ${v(c.without_plugin_ms.median, " ms")}, p95 ${v(c.without_plugin_ms.p95, " ms")}`,
    ],
    ["   ratio of medians (with / without)", v(c.ratio_median)],
    [
      "   with the plugin, a cover line it quoted (quote + select before)",
      `median ${v(c.with_cover_ms.median, " ms")}, p95 ${v(c.with_cover_ms.p95, " ms")}`,
    ],
    [
      "   ratio of medians (cover line / without the plugin)",
      v(c.cover_ratio_median),
    ],
    [
      `2. dispatch latency, checkout's answer to arrival at XCover (n=${c.samples} each)`,
      "",
    ],
    ["   opt-out of the declined offer", latency(c.dispatch_latency_ms)],
    [
      "   confirm of the taken storefront offer (same checkouts)",
      latency(c.booking_latency_ms),
    ],
    [
      "   confirm of the cover line's offer",
      latency(c.cover_booking_latency_ms),
    ],
    ...r.burst.map((b): [string, string] => [
      `3. burst, ${b.orders} orders x 2 declined, ${b.processes === 1 ? "1 process" : `${b.processes} processes`}, rate limit ${b.rate_limit_per_s === "off" ? "off" : `${b.rate_limit_per_s}/s${b.processes > 1 ? " shared" : ""}`}`,
      `${b.accepted}/${b.opt_outs} accepted in ${v(b.all_accepted_s, " s")}, max ${b.max_in_one_second} requests in any 1 s; ` +
        `${b.requests} requests (${b.sends_per_offer === null ? "n/a" : b.sends_per_offer.toFixed(3)} per offer), ${b.answers_409} x 409, ${b.answers_429} x 429, ${b.other_answers} other`,
    ]),
    [
      `4. client, opt-out calls/s (${k.rounds} x ${k.calls_per_round} calls, ${k.concurrency} in flight)`,
      "",
    ],
    [
      "   through XcoverClient",
      `${v(k.xcover_client_calls_per_s)} calls/s, ${v(k.connections_per_1000_calls.xcover_client)} connections per 1,000 calls`,
    ],
    [
      "   bare undici loop (the limit)",
      `${v(k.bare_undici_calls_per_s)} calls/s, ${v(k.connections_per_1000_calls.bare_undici)} connections per 1,000 calls`,
    ],
    ["   ratio (client / bare)", v(k.ratio)],
    [
      `5. memory, ${m.opt_outs} opt-outs through the module (${v(m.seconds, " s")})`,
      `RSS ${v(m.rss_mb.before)} -> ${v(m.rss_mb.after)} MiB, heap used ${v(m.heap_used_mb.before)} -> ${v(m.heap_used_mb.after)} MiB`,
    ],
    ...quoteRows(q),
    [
      `7. burst, ${x.orders} orders x (1 taken + 1 declined), ${x.processes === 1 ? "1 process" : `${x.processes} processes`}, rate limit ${x.rate_limit_per_s === "off" ? "off" : `${x.rate_limit_per_s}/s${x.processes > 1 ? " shared" : ""}`}`,
      `all done in ${v(x.all_done_s, " s")}, max ${x.max_in_one_second} requests in any 1 s; ${x.requests} requests: ` +
        `${x.confirms_per_taken_offer === null ? "n/a" : x.confirms_per_taken_offer.toFixed(3)} confirms per taken offer, ` +
        `${x.opt_outs_per_declined_offer === null ? "n/a" : x.opt_outs_per_declined_offer.toFixed(3)} opt-outs per declined offer, ${x.other_routes} on other routes`,
    ],
    ["   confirms by answer", routeAnswers(x.confirm)],
    ["   opt-outs by answer", routeAnswers(x.opt_out)],
    [
      "   ledger afterwards",
      `${x.ledger.bookings_booked}/${x.taken_offers} booked (${x.ledger.bookings_other} not), ${x.ledger.declined_opted_out}/${x.declined_offers} opted out (${x.ledger.declined_other} not)`,
    ],
  ]
}

function reconcileRows(z: ReconcileResult): [string, string][] {
  const [p1, p2, a] = [z.first_pass, z.second_pass, z.afterwards]
  const found =
    p1.repaired.order_canceled + p1.repaired.returned + p1.repaired.order_edited
  const d = z.drifted
  return [
    [
      `8. reconciliation, one full pass over ${z.orders} orders with a live policy`,
      `${d.order_canceled + d.returned + d.lost_webhook} drifted: ${d.order_canceled} cancelled, ${d.returned} returned, ${d.lost_webhook} lost webhooks`,
    ],
    [
      "   the pass (every page in one run)",
      `${v(p1.ms, " ms")} (${v(p1.sql_ms, " ms")} waiting for PostgreSQL), ${p1.statements} SQL statements, ${p1.orders_checked} orders checked; ${found} repaired (${p1.repaired.order_canceled} cancelled, ${p1.repaired.returned} returned)`,
    ],
    [
      "   per unchanged order",
      `${v(p1.ms_per_unchanged_order, " ms")}, ${v(p1.statements_per_unchanged_order)} statements`,
    ],
    [
      "   per repair (asking for the cancellation)",
      `${v(p1.ms_per_repair, " ms")}, ${v(p1.statements_per_repair)} statements`,
    ],
    [
      "   second pass: nothing left to repair",
      `${p2.repaired.order_canceled + p2.repaired.returned + p2.repaired.order_edited} repaired; ${v(p2.ms, " ms")}, ${v(p2.ms_per_unchanged_order, " ms")} and ${v(p2.statements_per_unchanged_order)} statements per order`,
    ],
    [
      "   then sent: the cancellations; the lost webhooks' read-backs (the order pass cannot see those)",
      `${z.sent.cancellation_sends} cancellation requests (${v(z.sent.ms_per_cancellation_send, " ms")} each), ${z.sent.readback_sends} Get Booking (${v(z.sent.ms_per_readback_send, " ms")} each); ` +
        Object.entries(z.requests_by_route)
          .map(([route, n]) => `${n} x ${route}`)
          .join(", ") +
        " at the stand-in",
    ],
    [
      "   drift left: live policies on cancelled orders, returned covers, cancelled at XCover",
      `${a.live_policies_on_cancelled_orders}, ${a.live_policies_on_returned_covers}, ${a.live_policies_cancelled_at_xcover}; ${a.drifted_policies_now_cancelled}/${d.order_canceled + d.returned + d.lost_webhook} drifted policies cancelled`,
    ],
  ]
}
