// Benchmarks 1 and 2: checkout with and without the plugin, side by side, and the time from
// order.placed to the opt-out arriving at the stand-in.
import { randomUUID } from "node:crypto"
import { setTimeout as sleep } from "node:timers/promises"
import type { Storefront } from "../integration-tests/helpers/storefront"
import type { StandInProcess } from "./stand-in-process"
import { median, percentile, round } from "./stats"

/** Checkouts per app that warm up caches and the JIT before measuring. */
const WARMUP = 2

export type CheckoutResult = {
  samples: number
  with_plugin_ms: { median: number | null; p95: number | null }
  without_plugin_ms: { median: number | null; p95: number | null }
  ratio_median: number | null
  dispatch_latency_ms: { p50: number | null; p95: number | null; p99: number | null }
}

type Timed = { ms: number; answeredAt: number }

/**
 * Each round prepares one cart per app (same items; the plugin's cart also has one taken and one
 * declined offer), then times `POST /store/carts/:id/complete` on each, in alternating order.
 * The plugin app's opt-out is awaited before the next timed call, so its background work never
 * overlaps a measured checkout of either app.
 */
export async function benchCheckout(
  shops: { withPlugin: Storefront; withoutPlugin: Storefront },
  standIn: StandInProcess,
  samples: number
): Promise<CheckoutResult> {
  const withMs: number[] = []
  const withoutMs: number[] = []
  const latency: number[] = []
  await standIn.reset()
  for (let i = 0; i < samples + WARMUP; i++) {
    const declined = randomUUID()
    // Preparation is not measured: both carts at once.
    const [withCart, withoutCart] = await Promise.all([prepareCart(shops.withPlugin, declined), prepareCart(shops.withoutPlugin, null)])

    const runWith = async () => {
      const timed = await timeCompletion(shops.withPlugin, withCart)
      const arrivedAt = await arrival(standIn, declined)
      return { timed, latency: arrivedAt - timed.answeredAt }
    }
    const runWithout = () => timeCompletion(shops.withoutPlugin, withoutCart)
    let w: { timed: Timed; latency: number }
    let wo: Timed
    if (i % 2 === 0) {
      w = await runWith()
      wo = await runWithout()
    } else {
      wo = await runWithout()
      w = await runWith()
    }
    if (i >= WARMUP) {
      withMs.push(w.timed.ms)
      withoutMs.push(wo.ms)
      latency.push(w.latency)
    }
  }
  return {
    samples,
    with_plugin_ms: { median: round(median(withMs)), p95: round(percentile(withMs, 95)) },
    without_plugin_ms: { median: round(median(withoutMs)), p95: round(percentile(withoutMs, 95)) },
    ratio_median: round(median(withMs) / median(withoutMs), 2),
    dispatch_latency_ms: {
      p50: round(percentile(latency, 50)),
      p95: round(percentile(latency, 95)),
      p99: round(percentile(latency, 99)),
    },
  }
}

/** A cart with the product and a taken insurance offer; with `declined`, offers are recorded too. */
async function prepareCart(shop: Storefront, declined: string | null): Promise<string> {
  const cart = await shop.createCart()
  const taken = randomUUID()
  if (declined) {
    await shop.recordOffer(cart, taken)
    await shop.recordOffer(cart, declined)
  }
  await shop.takeOffer(cart, taken)
  await shop.prepareCompletion(cart)
  return cart
}

async function timeCompletion(shop: Storefront, cartId: string): Promise<Timed> {
  const started = performance.now()
  await shop.completeAgain(cartId)
  return { ms: performance.now() - started, answeredAt: Date.now() }
}

/**
 * When the stand-in received the offer's opt-out (its clock is this machine's). order.placed is
 * emitted as the completion workflow finishes, just before Medusa answers: the answer's arrival
 * is the start of the measured latency.
 */
async function arrival(standIn: StandInProcess, offerId: string): Promise<number> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const hit = (await standIn.received()).find((a) => a.offerId === offerId && a.answer === 204)
    if (hit) {
      return hit.at
    }
    if (Date.now() > deadline) {
      throw new Error(`the opt-out of ${offerId} did not reach the stand-in within 30 s`)
    }
    await sleep(5)
  }
}
