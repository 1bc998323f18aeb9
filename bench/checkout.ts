// Benchmarks 1 and 2: checkout with and without the plugin, side by side (the plugin's server
// twice: a cart with storefront offers, and a cart with a cover line the plugin quoted), and the
// time from order.placed to the opt-out arriving at the stand-in.
import { randomUUID } from "node:crypto"
import { setTimeout as sleep } from "node:timers/promises"
import type { Storefront } from "../integration-tests/helpers/storefront"
import type { StandInProcess } from "./stand-in-process"
import { median, percentile, round } from "./stats"

/** Checkouts per app that warm up caches and the JIT before measuring. */
const WARMUP = 2
/**
 * Pause between preparing the carts and the first timed checkout: preparing emits cart events
 * whose subscribers (the plugin's among them) run after the answers, and must not overlap it.
 */
const SETTLE_MS = 100

export type CheckoutResult = {
  samples: number
  with_plugin_ms: { median: number | null; p95: number | null }
  without_plugin_ms: { median: number | null; p95: number | null }
  ratio_median: number | null
  dispatch_latency_ms: { p50: number | null; p95: number | null; p99: number | null }
  /** The plugin's server, a cart whose line the plugin quoted and whose cover line was selected. */
  with_cover_ms: { median: number | null; p95: number | null }
  /** Median with the cover line / median without the plugin. */
  cover_ratio_median: number | null
}

type Timed = { ms: number; answeredAt: number }

/**
 * Each round prepares three carts: one per app with the same items (the plugin app's cart also
 * has one taken and one declined offer recorded), and on the plugin app a third whose product
 * line the plugin quoted, with the first quote selected as a cover line. Then it times
 * `POST /store/carts/:id/complete` on each, one at a time, the order rotating from round to
 * round. After each plugin checkout its background work is awaited (the opt-out's arrival at the
 * stand-in; the cover's offer recorded as selected) before the next timed call, so it never
 * overlaps a measured checkout of either app.
 */
export async function benchCheckout(
  shops: { withPlugin: Storefront; withoutPlugin: Storefront },
  standIn: StandInProcess,
  samples: number
): Promise<CheckoutResult> {
  const withMs: number[] = []
  const withoutMs: number[] = []
  const coverMs: number[] = []
  const latency: number[] = []
  await standIn.reset()
  for (let i = 0; i < samples + WARMUP; i++) {
    const declined = randomUUID()
    // Preparation is not measured: all three carts at once.
    const [withCart, withoutCart, cover] = await Promise.all([
      prepareCart(shops.withPlugin, declined),
      prepareCart(shops.withoutPlugin, null),
      prepareCoverCart(shops.withPlugin),
    ])
    await sleep(SETTLE_MS)

    let w: { timed: Timed; latency: number } | undefined
    let wo: Timed | undefined
    let wc: Timed | undefined
    const runs = [
      async () => {
        const timed = await timeCompletion(shops.withPlugin, withCart)
        const arrivedAt = await arrival(standIn, declined)
        w = { timed, latency: arrivedAt - timed.answeredAt }
      },
      async () => {
        wo = await timeCompletion(shops.withoutPlugin, withoutCart)
      },
      async () => {
        wc = await timeCompletion(shops.withPlugin, cover.cartId)
        await selected(shops.withPlugin, cover.cartId, cover.offerId)
      },
    ]
    // Rotating: each kind goes first, second and third equally often.
    for (let k = 0; k < runs.length; k++) {
      await runs[(i + k) % runs.length]()
    }
    if (i >= WARMUP && w && wo && wc) {
      withMs.push(w.timed.ms)
      withoutMs.push(wo.ms)
      coverMs.push(wc.ms)
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
    with_cover_ms: { median: round(median(coverMs)), p95: round(percentile(coverMs, 95)) },
    cover_ratio_median: round(median(coverMs) / median(withoutMs), 2),
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

/**
 * A cart with the product, its line quoted by the plugin (the stand-in prices it) and the
 * offer's first quote selected: the cover goes in as a line of its own at XCover's price.
 */
async function prepareCoverCart(shop: Storefront): Promise<{ cartId: string; offerId: string }> {
  const cartId = await shop.createCart()
  const line = ((await shop.cart(cartId)).items as { id: string; variant_id: string | null }[]).find((item) => item.variant_id)
  if (!line) {
    throw new Error(`cart ${cartId} has no product line`)
  }
  const quoted = await shop.quote(cartId, line.id)
  const offer = quoted.data?.xcover_offer as { offer_id: string; quotes: { id: string }[] } | null | undefined
  if (quoted.status !== 200 || !offer?.quotes.length) {
    throw new Error(`quoting cart ${cartId} answered ${quoted.status}: ${JSON.stringify(quoted.data)}`)
  }
  const chosen = await shop.select(cartId, offer.offer_id, { quote_id: offer.quotes[0].id })
  if (chosen.status !== 200) {
    throw new Error(`selecting a quote in cart ${cartId} answered ${chosen.status}: ${JSON.stringify(chosen.data)}`)
  }
  await shop.prepareCompletion(cartId)
  return { cartId, offerId: offer.offer_id }
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

/** Waits until the order.placed work recorded the cover's offer as selected (nothing is sent for it). */
async function selected(shop: Storefront, cartId: string, offerId: string): Promise<void> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const { data } = await shop.listOffers(cartId)
    const offer = (data.xcover_offers as { offer_id: string; status: string }[]).find((o) => o.offer_id === offerId)
    if (offer?.status === "selected") {
      return
    }
    if (Date.now() > deadline) {
      throw new Error(`the cover offer ${offerId} of cart ${cartId} was not recorded as selected within 30 s (status ${offer?.status})`)
    }
    await sleep(5)
  }
}
