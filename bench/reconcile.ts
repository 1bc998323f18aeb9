// Benchmark 8: one reconciliation full pass over N orders with a live policy, 1 % of them drifted.
// The work happens in `medusa exec bench/reconcile-exec.ts` (a Medusa app on its own database:
// the order module, Query and the plugin as a store runs them); this side plans the drift, gives
// XCover's side of it to the stand-in and reads back what the script measured.
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import path from "node:path"
import { ROOT, runMedusa, type MedusaRun } from "../scripts/lib/medusa"
import type { StandInProcess } from "./stand-in-process"

/** What drifted, as a store would have it after an event the plugin never got. */
export type DriftKind = "order_canceled" | "returned" | "lost_webhook"

/** What the script is to write and plant (passed as a JSON file). */
export type ReconcilePlan = {
  orders: number
  /** Prefix of the offer, quote and row ids. */
  label: string
  /** The drifted orders, by index (0..orders-1), with their policy at the stand-in. */
  drift: {
    index: number
    kind: DriftKind
    booking_id: string
    quote_id: string
    price: number
  }[]
  out: string
}

/** One part of the pass: its calls, their time, the time its statements took to be answered, its statements. */
export type PhaseFigures = {
  calls: number
  ms: number
  sql_ms: number
  statements: number
}

/** One full pass, as the script measured it. */
export type PassFigures = {
  completed: boolean
  orders_checked: number
  /** Orders the placement decision had not reached (none here: every order was decided). */
  decided: number
  failed: number
  repaired: { order_canceled: number; returned: number; order_edited: number }
  ms: number
  /** Of `ms`, from sending each statement to its answer (the rest is Node: Medusa's ORM, the plugin). */
  sql_ms: number
  /** Every statement the process sent during the pass (Query's, the ledger's, transactions' BEGIN/COMMIT). */
  statements: number
  /** Orders checked with nothing to repair (the lost webhooks' orders among them: the order pass cannot see those). */
  unchanged_orders: number
  /** (pass − time asking for cancellations) / unchanged orders. */
  ms_per_unchanged_order: number | null
  /** (statements − those asking for cancellations) / unchanged orders. */
  statements_per_unchanged_order: number | null
  /** Asking for one cancellation (writing it to the outbox), per policy repaired. */
  ms_per_repair: number | null
  statements_per_repair: number | null
  /** By part of the pass: the ledger's reads and writes, Medusa's Query, the cursor. */
  phases: Record<string, PhaseFigures>
  /** Statements by verb and first table named. */
  statement_kinds: Record<string, number>
}

export type ReconcileExecResult = {
  /** Writing the orders, policies and drift (not measured further). */
  setup_s: number
  first_pass: PassFigures
  /** The same pass once more (its daily interval skipped): it must repair nothing. */
  second_pass: PassFigures
  /**
   * Then, as the job does: the cancellations asked for sent (a preview and a confirmation each),
   * the lost webhooks' read-backs made due and sent (one Get Booking each); the dispatcher's sends.
   */
  sent: {
    cancellation_sends: number
    ms_per_cancellation_send: number | null
    readback_sends: number
    ms_per_readback_send: number | null
  }
  /** Drift left at the end (each 0 when the books match), and the store's counts for scale. */
  afterwards: {
    live_policies_on_cancelled_orders: number
    live_policies_on_returned_covers: number
    live_policies_cancelled_at_xcover: number
    /** The planted policies the ledger now holds CANCELLED (= all drifted when repaired). */
    drifted_policies_now_cancelled: number
    cancelled_orders: number
    returned_covers: number
  }
}

export type ReconcileResult = ReconcileExecResult & {
  orders: number
  drifted: Record<DriftKind, number>
  /** XCover requests the stand-in received (cancellations: preview and confirm; read-backs: Get Booking), by route. */
  requests_by_route: Record<string, number>
}

/** 1 % of the orders (at least one of each kind), spread over the id range, the kinds taking turns. */
export function planDrift(
  orders: number
): { index: number; kind: DriftKind }[] {
  const kinds: DriftKind[] = ["order_canceled", "returned", "lost_webhook"]
  const count = Math.max(kinds.length, Math.round(orders / 100))
  const step = orders / count
  return Array.from({ length: count }, (_, k) => ({
    index: Math.floor(k * step + step / 2),
    kind: kinds[k % kinds.length],
  }))
}

/**
 * Runs the benchmark on `run`'s database (a migrated copy of its own): the drifted policies are
 * booked at the stand-in (XCover must be able to cancel them, and read back the lost webhooks'),
 * the lost webhooks' cancelled there, then the script writes the orders and measures.
 */
export async function benchReconcile(
  run: MedusaRun,
  standIn: StandInProcess,
  orders: number,
  workDir: string
): Promise<ReconcileResult> {
  await standIn.reset()
  const label = `rc${process.pid}`
  const planned = planDrift(orders)
  const price = 5
  const booked = await standIn.plantBookings(
    planned.map((d) => ({
      offerId: `${label}-${d.index}`,
      quotes: [{ id: `${label}-q-${d.index}`, price }],
      currency: "EUR",
    }))
  )
  await standIn.cancelAtXcover(
    booked
      .filter((_, k) => planned[k].kind === "lost_webhook")
      .map((b) => b.bookingId)
  )
  const out = path.join(workDir, `reconcile-${process.pid}.json`)
  const planFile = path.join(workDir, `reconcile-plan-${process.pid}.json`)
  const plan: ReconcilePlan = {
    orders,
    label,
    drift: planned.map((d, k) => ({
      ...d,
      booking_id: booked[k].bookingId,
      quote_id: `${label}-q-${d.index}`,
      price,
    })),
    out,
  }
  writeFileSync(planFile, JSON.stringify(plan))
  try {
    await runMedusa(["exec", path.join(ROOT, "bench/reconcile-exec.ts")], {
      ...run,
      env: { ...run.env, XCOVER_BENCH_RECONCILE_PLAN: planFile },
    })
    const measured = JSON.parse(
      readFileSync(out, "utf8")
    ) as ReconcileExecResult
    const requests_by_route: Record<string, number> = {}
    for (const a of await standIn.received()) {
      const route = a.route ?? "other"
      requests_by_route[route] = (requests_by_route[route] ?? 0) + 1
    }
    const drifted = { order_canceled: 0, returned: 0, lost_webhook: 0 }
    planned.forEach((d) => drifted[d.kind]++)
    return { ...measured, orders, drifted, requests_by_route }
  } finally {
    rmSync(planFile, { force: true })
    rmSync(out, { force: true })
  }
}
