// Benchmark 6: the quote route, `POST /store/carts/:id/xcover-offers/quote`, on the plugin's
// server of benchmark 1, and what the plugin adds to it beyond XCover's (the stand-in's) own time.
import type { Storefront } from "../integration-tests/helpers/storefront"
import type { StandInProcess } from "./stand-in-process"
import { percentile, round } from "./stats"

/** Rounds that warm up caches, the JIT and the connection to the stand-in before measuring. */
const WARMUP = 5

export type Percentiles = { p50: number | null; p99: number | null }

/** The server's SQL counter (bench/sql-count-agent.js): `mark` clears its breakdown. */
export type SqlProbe = {
  read(
    mark: boolean
  ): Promise<{ statements: number; samples: Record<string, number> }>
}

/** SQL statements a request sent, counted in the server (background jobs may add some: the median is what one request costs). */
export type StatementFigures = {
  /** Median per request. */
  p50: number | null
  max: number | null
  /** Statements by verb and first table, of the round whose count was the median. */
  breakdown: Record<string, number>
}
/** Every answer of the quote calls, by status; they add up to the rounds. */
export type QuoteAnswers = {
  status_200: number
  status_503: number
  other: number
}

export type QuoteResult = {
  rounds: number
  /** The first quote of a new cart's line: the plugin asks XCover (Create Offer). */
  fresh: {
    answers: QuoteAnswers
    /** Create Offer requests the stand-in received during the measured rounds (fresh and reused quotes). */
    create_offer_requests: number
    /** 200 answers with an offer whose Create Offer request the stand-in timed: the samples below. */
    timed: number
    /** At the client: request sent to answer read. */
    total_ms: Percentiles
    /** The stand-in's own time for the Create Offer request of that quote. */
    stand_in_ms: Percentiles
    /** Per quote, total minus the stand-in's time: what the plugin and Medusa's HTTP stack around it add. */
    plugin_adds_ms: Percentiles
    /** The route handler's own time (its `Server-Timing`), XCover's answer included. */
    handler_ms: Percentiles
    /** Per quote, handler minus the stand-in's time: what the plugin adds, Medusa's HTTP stack aside. */
    handler_adds_ms: Percentiles
    /** Statements per new quote (null without a probe). */
    statements: StatementFigures | null
    /** `handler_adds_ms.p50 / get_cart_ms.p50` (target at most 0.5). */
    ratio_to_get_cart: number | null
    /** `plugin_adds_ms.p50 / get_cart_ms.p50`: the same with Medusa's HTTP stack counted against the plugin. */
    client_ratio_to_get_cart: number | null
  }
  /** The same line quoted again, unchanged: the recorded offer, without calling XCover. */
  reused: {
    answers: QuoteAnswers
    /** 200 answers naming the offer the fresh quote answered. */
    same_offer: number
    /** At the client, 200 answers only. */
    total_ms: Percentiles
    /** The route handler's own time (its `Server-Timing`): all of it is what the plugin adds. */
    handler_ms: Percentiles
    /** Statements per repeated quote (null without a probe). */
    statements: StatementFigures | null
    /** `handler_ms.p50 / get_cart_ms.p50` (target at most 0.25). */
    ratio_to_get_cart: number | null
    /** `total_ms.p50 / get_cart_ms.p50`: the same with Medusa's HTTP stack counted against the plugin. */
    client_ratio_to_get_cart: number | null
  }
  /** For scale: Medusa's own `GET /store/carts/:id` (items and their metadata) on the same server, same rounds. */
  get_cart_ms: Percentiles
  /** Statements per `GET /store/carts/:id` (null without a probe). */
  get_cart_statements: StatementFigures | null
}

/**
 * Each round creates a cart with one line (not timed), reads it back (timed, for scale), then
 * times quoting that line twice: the first quote asks XCover, the second finds the recorded
 * offer. Sequential, one call at a time. The stand-in reports its own time for each Create Offer
 * request, matched to the quote by the offer id it answered.
 */
export async function benchQuotes(
  shop: Storefront,
  standIn: StandInProcess,
  rounds: number,
  sql: SqlProbe | null = null
): Promise<QuoteResult> {
  const fresh: {
    status: number
    offerId: string | null
    ms: number
    handlerMs: number | null
  }[] = []
  const reused: {
    status: number
    sameOffer: boolean
    ms: number
    handlerMs: number | null
  }[] = []
  const getCart: number[] = []
  const counted = {
    fresh: [] as Counted[],
    reused: [] as Counted[],
    getCart: [] as Counted[],
  }
  // Counts the statements of one request; the probe's own calls send none.
  const count = async <T>(
    into: Counted[],
    measured: boolean,
    work: () => Promise<T>
  ): Promise<T> => {
    const before = sql && measured ? await sql.read(true) : null
    const result = await work()
    if (sql && before) {
      const after = await sql.read(false)
      into.push({
        statements: after.statements - before.statements,
        samples: after.samples,
      })
    }
    return result
  }
  for (let i = 0; i < rounds + WARMUP; i++) {
    if (i === WARMUP) {
      // Only the measured rounds' requests stay in the stand-in's list.
      await standIn.reset()
    }
    const cartId = await shop.createCart()
    const measured = i >= WARMUP
    let readMs = 0
    let started = 0
    const cart = await count(counted.getCart, measured, async () => {
      started = performance.now()
      const answer = await shop.cart(cartId)
      readMs = performance.now() - started
      return answer
    })
    const line = (
      cart.items as { id: string; variant_id: string | null }[]
    ).find((item) => item.variant_id)
    if (!line) {
      throw new Error(`cart ${cartId} has no product line`)
    }

    // Timed without the probe's calls around it; its counts come from the same requests.
    let firstMs = 0
    let secondMs = 0
    const first = await count(counted.fresh, measured, async () => {
      started = performance.now()
      const answer = await shop.quote(cartId, line.id)
      firstMs = performance.now() - started
      return answer
    })
    const second = await count(counted.reused, measured, async () => {
      started = performance.now()
      const answer = await shop.quote(cartId, line.id)
      secondMs = performance.now() - started
      return answer
    })

    if (measured) {
      const offerId =
        first.status === 200
          ? (first.data?.xcover_offer?.offer_id ?? null)
          : null
      fresh.push({
        status: first.status,
        offerId,
        ms: firstMs,
        handlerMs: handlerTime(first),
      })
      reused.push({
        status: second.status,
        sameOffer:
          offerId !== null && second.data?.xcover_offer?.offer_id === offerId,
        ms: secondMs,
        handlerMs: handlerTime(second),
      })
      getCart.push(readMs)
    }
  }

  const createOffers = (await standIn.received()).filter(
    (a) => a.route === "create_offer"
  )
  const standInMs = new Map(
    createOffers
      .filter((a) => a.createdOfferId && a.handledMs !== null)
      .map((a) => [a.createdOfferId as string, a.handledMs as number])
  )
  const totals: number[] = []
  const standIns: number[] = []
  const adds: number[] = []
  const handlers: number[] = []
  const handlerAdds: number[] = []
  for (const q of fresh) {
    const own = q.offerId === null ? undefined : standInMs.get(q.offerId)
    if (q.status === 200 && own !== undefined && q.handlerMs !== null) {
      totals.push(q.ms)
      standIns.push(own)
      adds.push(q.ms - own)
      handlers.push(q.handlerMs)
      handlerAdds.push(q.handlerMs - own)
    }
  }
  const reusedOk = reused.filter((q) => q.status === 200)
  const getCartMs = percentiles(getCart)
  const addsMs = percentiles(adds)
  const handlerAddsMs = percentiles(handlerAdds)
  const reusedTotal = percentiles(reusedOk.map((q) => q.ms))
  const reusedHandler = percentiles(
    reusedOk.flatMap((q) => (q.handlerMs === null ? [] : [q.handlerMs]))
  )
  return {
    rounds,
    fresh: {
      answers: countAnswers(fresh.map((q) => q.status)),
      create_offer_requests: createOffers.length,
      timed: totals.length,
      total_ms: percentiles(totals),
      stand_in_ms: percentiles(standIns),
      plugin_adds_ms: addsMs,
      handler_ms: percentiles(handlers),
      handler_adds_ms: handlerAddsMs,
      statements: sql ? statementFigures(counted.fresh) : null,
      ratio_to_get_cart: ratio(handlerAddsMs.p50, getCartMs.p50),
      client_ratio_to_get_cart: ratio(addsMs.p50, getCartMs.p50),
    },
    reused: {
      answers: countAnswers(reused.map((q) => q.status)),
      same_offer: reused.filter((q) => q.sameOffer).length,
      total_ms: reusedTotal,
      handler_ms: reusedHandler,
      statements: sql ? statementFigures(counted.reused) : null,
      ratio_to_get_cart: ratio(reusedHandler.p50, getCartMs.p50),
      client_ratio_to_get_cart: ratio(reusedTotal.p50, getCartMs.p50),
    },
    get_cart_ms: getCartMs,
    get_cart_statements: sql ? statementFigures(counted.getCart) : null,
  }
}

type Counted = { statements: number; samples: Record<string, number> }

/** The handler's time the quote route reports (`Server-Timing: xcover-quote;dur=<ms>`), if it did. */
function handlerTime(answer: {
  headers?: Record<string, unknown>
}): number | null {
  const match = /xcover-quote;dur=([\d.]+)/.exec(
    String(answer.headers?.["server-timing"] ?? "")
  )
  return match ? Number(match[1]) : null
}

function statementFigures(rounds: Counted[]): StatementFigures {
  const sorted = [...rounds].sort((a, b) => a.statements - b.statements)
  const median = sorted[Math.floor((sorted.length - 1) / 2)]
  return {
    p50: median?.statements ?? null,
    max: sorted[sorted.length - 1]?.statements ?? null,
    breakdown: median?.samples ?? {},
  }
}

const ratio = (part: number | null, whole: number | null) =>
  part === null || whole === null || whole <= 0 ? null : round(part / whole, 2)

function countAnswers(statuses: number[]): QuoteAnswers {
  const status_200 = statuses.filter((s) => s === 200).length
  const status_503 = statuses.filter((s) => s === 503).length
  return {
    status_200,
    status_503,
    other: statuses.length - status_200 - status_503,
  }
}

const percentiles = (samples: number[]): Percentiles => ({
  p50: round(percentile(samples, 50), 2),
  p99: round(percentile(samples, 99), 2),
})
