// Benchmarks 1 and 2: checkout with and without the plugin, side by side (the plugin's server
// twice: a cart with storefront offers, and a cart with a cover line the plugin quoted), and the
// time from order.placed to the opt-out and the taken offers' confirms arriving at the stand-in.
import { randomUUID } from "node:crypto"
import { setTimeout as sleep } from "node:timers/promises"
import { Client } from "pg"
import type { SeededStore } from "../integration-tests/helpers/seed-store"
import type { Api, Storefront } from "../integration-tests/helpers/storefront"
import type { Arrival, StandInProcess } from "./stand-in-process"
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
  dispatch_latency_ms: Latency
  /**
   * The same checkouts: from the answer to the arrival of the taken storefront offer's confirm
   * (Confirm Offer, answered 200) at the stand-in.
   */
  booking_latency_ms: Latency
  /** The cover-line checkouts: from the answer to the arrival of the cover's confirm (answered 200). */
  cover_booking_latency_ms: Latency
  /**
   * Every request the stand-in received during the measured rounds (warm-up excluded), by route
   * (`opt_out`, `confirm`, `create_offer`, ...; `unknown` for a path it does not serve): one
   * opt-out per round, two confirms per round (storefront offer and cover) when nothing is sent twice.
   */
  requests_by_route: Record<string, number>
  /** The plugin's server, a cart whose line the plugin quoted and whose cover line was selected. */
  with_cover_ms: { median: number | null; p95: number | null }
  /** Median with the cover line / median without the plugin. */
  cover_ratio_median: number | null
}

export type Latency = {
  p50: number | null
  p95: number | null
  p99: number | null
}

type Timed = { ms: number; answeredAt: number }

/** The seeded insurance variant's price (integration-tests/helpers/seed-store.ts): the storefront offer's quote price. */
const INSURANCE_PRICE = 5

/**
 * A storefront as the benchmark drives it: the helper's calls, plus taking an offer the way a
 * storefront that books does it, the insurance line naming the offer and the quotes bought.
 */
export type CheckoutShop = {
  shop: Storefront
  takeOffer(
    cartId: string,
    offerId: string,
    quoteIds: string[]
  ): Promise<unknown>
}

export function checkoutShop(
  shop: Storefront,
  api: Api,
  store: SeededStore
): CheckoutShop {
  return {
    shop,
    takeOffer: (cartId, offerId, quoteIds) =>
      api.post(
        `/store/carts/${cartId}/line-items`,
        {
          variant_id: store.insuranceVariantId,
          quantity: 1,
          metadata: { xcover_offer_id: offerId, xcover_quote_ids: quoteIds },
        },
        { headers: { "x-publishable-api-key": store.publishableKey } }
      ),
  }
}

/** The plugin server's ledger, read directly: when an order's background work has ended. */
export class PluginLedger {
  private constructor(private readonly db: Client) {}

  static async open(databaseUrl: string): Promise<PluginLedger> {
    const db = new Client({ connectionString: databaseUrl })
    await db.connect()
    return new PluginLedger(db)
  }

  /** Waits until these bookings and opt-outs have a final status (their answers are written). */
  async settled(
    bookingOffers: string[],
    optOutOffers: string[]
  ): Promise<void> {
    const deadline = Date.now() + 30_000
    for (;;) {
      const { rows } = await this.db.query(
        `SELECT (SELECT count(*) FROM xcover_booking WHERE offer_id = ANY($1) AND status IN ('booked', 'failed'))::int AS bookings,
                (SELECT count(*) FROM xcover_offer WHERE offer_id = ANY($2) AND status IN ('opted_out', 'rejected', 'failed'))::int AS opt_outs`,
        [bookingOffers, optOutOffers]
      )
      if (
        rows[0].bookings === bookingOffers.length &&
        rows[0].opt_outs === optOutOffers.length
      ) {
        return
      }
      if (Date.now() > deadline) {
        throw new Error(
          `bookings of ${bookingOffers.join(", ")} / opt-outs of ${optOutOffers.join(", ")} did not settle within 30 s`
        )
      }
      await sleep(5)
    }
  }

  close(): Promise<void> {
    return this.db.end()
  }
}

/**
 * Each round prepares three carts: one per app with the same items (the product, and an
 * insurance line taking a storefront offer with its quote id, which the stand-in knows; the
 * plugin app's cart also has that offer and a declined one recorded), and on the plugin app a
 * third whose product line the plugin quoted, with the first quote selected as a cover line. Then
 * it times `POST /store/carts/:id/complete` on each, one at a time, the order rotating from round
 * to round. After each plugin checkout its background work is awaited (the opt-out's and the
 * confirms' arrival at the stand-in, then their outcomes in the ledger) before the next timed
 * call, so it never overlaps a measured checkout of either app.
 */
export async function benchCheckout(
  shops: { withPlugin: CheckoutShop; withoutPlugin: CheckoutShop },
  standIn: StandInProcess,
  ledger: PluginLedger,
  samples: number
): Promise<CheckoutResult> {
  const withMs: number[] = []
  const withoutMs: number[] = []
  const coverMs: number[] = []
  const latency: number[] = []
  const bookingLatency: number[] = []
  const coverBookingLatency: number[] = []
  await standIn.reset()
  for (let i = 0; i < samples + WARMUP; i++) {
    if (i === WARMUP) {
      // Only the measured rounds' requests stay in the stand-in's list (it forgets offers too:
      // this round's are made known below).
      await standIn.reset()
    }
    const declined = randomUUID()
    const taken = { offerId: randomUUID(), quoteId: randomUUID() }
    await standIn.knowOffer(
      taken.offerId,
      [{ id: taken.quoteId, price: INSURANCE_PRICE }],
      "EUR"
    )
    // Preparation is not measured: all three carts at once.
    const [withCart, withoutCart, cover] = await Promise.all([
      prepareCart(shops.withPlugin, taken, declined),
      prepareCart(shops.withoutPlugin, taken, null),
      prepareCoverCart(shops.withPlugin.shop),
    ])
    await sleep(SETTLE_MS)

    let w: { timed: Timed; latency: number; booking: number } | undefined
    let wo: Timed | undefined
    let wc: { timed: Timed; booking: number } | undefined
    const runs = [
      async () => {
        const timed = await timeCompletion(shops.withPlugin.shop, withCart)
        const [optOutAt, confirmAt] = await Promise.all([
          arrival(standIn, "opt_out", declined, 204),
          arrival(standIn, "confirm", taken.offerId, 200),
        ])
        await ledger.settled([taken.offerId], [declined])
        w = {
          timed,
          latency: optOutAt - timed.answeredAt,
          booking: confirmAt - timed.answeredAt,
        }
      },
      async () => {
        wo = await timeCompletion(shops.withoutPlugin.shop, withoutCart)
      },
      async () => {
        const timed = await timeCompletion(shops.withPlugin.shop, cover.cartId)
        const confirmAt = await arrival(standIn, "confirm", cover.offerId, 200)
        await ledger.settled([cover.offerId], [])
        wc = { timed, booking: confirmAt - timed.answeredAt }
      },
    ]
    // Rotating: each kind goes first, second and third equally often.
    for (let k = 0; k < runs.length; k++) {
      await runs[(i + k) % runs.length]()
    }
    if (i >= WARMUP && w && wo && wc) {
      withMs.push(w.timed.ms)
      withoutMs.push(wo.ms)
      coverMs.push(wc.timed.ms)
      latency.push(w.latency)
      bookingLatency.push(w.booking)
      coverBookingLatency.push(wc.booking)
    }
  }
  const requestsByRoute: Record<string, number> = {}
  for (const a of await standIn.received()) {
    const route = a.route ?? "unknown"
    requestsByRoute[route] = (requestsByRoute[route] ?? 0) + 1
  }
  return {
    samples,
    with_plugin_ms: {
      median: round(median(withMs)),
      p95: round(percentile(withMs, 95)),
    },
    without_plugin_ms: {
      median: round(median(withoutMs)),
      p95: round(percentile(withoutMs, 95)),
    },
    ratio_median: round(median(withMs) / median(withoutMs), 2),
    dispatch_latency_ms: latencyOf(latency),
    booking_latency_ms: latencyOf(bookingLatency),
    cover_booking_latency_ms: latencyOf(coverBookingLatency),
    requests_by_route: requestsByRoute,
    with_cover_ms: {
      median: round(median(coverMs)),
      p95: round(percentile(coverMs, 95)),
    },
    cover_ratio_median: round(median(coverMs) / median(withoutMs), 2),
  }
}

const latencyOf = (samples: number[]): Latency => ({
  p50: round(percentile(samples, 50)),
  p95: round(percentile(samples, 95)),
  p99: round(percentile(samples, 99)),
})

/**
 * A cart with the product and an insurance line taking the storefront offer (its quote id in
 * the line's metadata); with `declined`, both offers are recorded too.
 */
async function prepareCart(
  shop: CheckoutShop,
  taken: { offerId: string; quoteId: string },
  declined: string | null
): Promise<string> {
  const cart = await shop.shop.createCart()
  if (declined) {
    await shop.shop.recordOffer(cart, taken.offerId)
    await shop.shop.recordOffer(cart, declined)
  }
  await shop.takeOffer(cart, taken.offerId, [taken.quoteId])
  await shop.shop.prepareCompletion(cart)
  return cart
}

/**
 * A cart with the product, its line quoted by the plugin (the stand-in prices it) and the
 * offer's first quote selected: the cover goes in as a line of its own at XCover's price.
 */
async function prepareCoverCart(
  shop: Storefront
): Promise<{ cartId: string; offerId: string }> {
  const cartId = await shop.createCart()
  const line = (
    (await shop.cart(cartId)).items as {
      id: string
      variant_id: string | null
    }[]
  ).find((item) => item.variant_id)
  if (!line) {
    throw new Error(`cart ${cartId} has no product line`)
  }
  const quoted = await shop.quote(cartId, line.id)
  const offer = quoted.data?.xcover_offer as
    { offer_id: string; quotes: { id: string }[] } | null | undefined
  if (quoted.status !== 200 || !offer?.quotes.length) {
    throw new Error(
      `quoting cart ${cartId} answered ${quoted.status}: ${JSON.stringify(quoted.data)}`
    )
  }
  const chosen = await shop.select(cartId, offer.offer_id, {
    quote_id: offer.quotes[0].id,
  })
  if (chosen.status !== 200) {
    throw new Error(
      `selecting a quote in cart ${cartId} answered ${chosen.status}: ${JSON.stringify(chosen.data)}`
    )
  }
  await shop.prepareCompletion(cartId)
  return { cartId, offerId: offer.offer_id }
}

async function timeCompletion(
  shop: Storefront,
  cartId: string
): Promise<Timed> {
  const started = performance.now()
  await shop.completeAgain(cartId)
  return { ms: performance.now() - started, answeredAt: Date.now() }
}

/**
 * When the stand-in received the offer's request on this route that it answered so (its clock is
 * this machine's). order.placed is emitted as the completion workflow finishes, just before
 * Medusa answers: the answer's arrival is the start of the measured latency.
 */
async function arrival(
  standIn: StandInProcess,
  route: Arrival["route"],
  offerId: string,
  answer: number
): Promise<number> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const hit = (await standIn.received()).find(
      (a) => a.route === route && a.offerId === offerId && a.answer === answer
    )
    if (hit) {
      return hit.at
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no ${route} of ${offerId} answered ${answer} reached the stand-in within 30 s`
      )
    }
    await sleep(5)
  }
}
