import { mkdtempSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import Redis from "ioredis"
import {
  ROOT,
  runMedusa,
  seedStoreWithMedusa,
  startMedusaServer,
  type MedusaServer,
} from "../../scripts/lib/medusa"
import { freePort } from "../../scripts/lib/ports.cjs"
import {
  createDatabase,
  databaseUrl,
  dbEnvFromProcess,
  dropDatabase,
  query,
} from "../../scripts/lib/postgres"
import { StandInProcess, type Arrival } from "../../bench/stand-in-process"
import { maxPerSecond } from "../../bench/stats"
import { eventually } from "../helpers/eventually"
import { httpApi } from "../helpers/http-api"
import { densestSecond, describeWindow } from "../helpers/rate-window"
import type { SeededStore } from "../helpers/seed-store"
import { Storefront } from "../helpers/storefront"
import { TEST_CREDENTIALS, xcoverTestEnv } from "../helpers/xcover-env"
import { XcoverStandIn } from "../xcover-stand-in/server"

/**
 * Delivery across process boundaries: restarts, crashes and two instances sharing one database,
 * with Medusa started as real `medusa start` processes.
 */
jest.setTimeout(600_000)

const suffix = `${process.pid}_${Date.now().toString(36)}`

function appEnv(
  standIn: { baseUrl: string },
  extra: Record<string, string> = {}
): Record<string, string> {
  return {
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    MEDUSA_DISABLE_ADMIN: "true",
    ...xcoverTestEnv(standIn.baseUrl, extra),
  }
}

const storefront = (app: MedusaServer, store: SeededStore) =>
  new Storefront(httpApi(app.url), store)

/** Medusa processes on one database of their own, logs in a temporary folder. */
class Cluster {
  readonly db: string
  private readonly dir = mkdtempSync(
    path.join(os.tmpdir(), "xcover-instances-")
  )
  private readonly servers: MedusaServer[] = []
  private count = 0

  constructor(
    name: string,
    private readonly env: Record<string, string>
  ) {
    this.db = `xcover_${name}_${suffix}`
  }

  private run(env: Record<string, string> = {}) {
    const dbEnv = dbEnvFromProcess()
    return {
      cwd: ROOT,
      env: { ...this.env, ...env, DATABASE_URL: databaseUrl(dbEnv, this.db) },
      logFile: path.join(this.dir, `medusa-${this.count++}.log`),
    }
  }

  /** Creates the database, applies every migration (the plugin's included), seeds a store. */
  async prepare(): Promise<SeededStore> {
    await createDatabase(dbEnvFromProcess(), this.db)
    await runMedusa(["db:migrate"], this.run())
    return (
      await seedStoreWithMedusa(this.run(), path.join(this.dir, "seed.json"))
    ).store
  }

  async start(env: Record<string, string> = {}): Promise<MedusaServer> {
    const server = await startMedusaServer({
      ...this.run(env),
      port: await freePort(),
      host: "127.0.0.1",
    })
    this.servers.push(server)
    return server
  }

  ledger(): Promise<LedgerRow[]> {
    return query<LedgerRow>(
      dbEnvFromProcess(),
      this.db,
      "SELECT offer_id, status, attempts FROM xcover_offer ORDER BY offer_id"
    )
  }

  async destroy(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.kill()))
    await dropDatabase(dbEnvFromProcess(), this.db)
    rmSync(this.dir, { recursive: true, force: true })
  }
}

type LedgerRow = { offer_id: string; status: string; attempts: number }

/** One order with one taken and two declined offers; returns the declined ids. */
async function placeOrder(
  shop: Storefront,
  tag: string
): Promise<{ taken: string; declined: string[] }> {
  const cartId = await shop.createCart()
  const taken = `${tag}-t`
  const declined = [`${tag}-d1`, `${tag}-d2`]
  for (const offer of [taken, ...declined]) {
    await shop.recordOffer(cartId, offer)
  }
  await shop.takeOffer(cartId, taken)
  await shop.complete(cartId)
  return { taken, declined }
}

/** A cart ready for checkout whose first line's offer is taken and second line's offer declined. */
type QuotedCart = {
  cartId: string
  taken: string
  quoteId: string
  declined: string
}

/**
 * A cart of two tent lines, both quoted through the plugin's store API (XCover's Create Offer);
 * one quote of the first line's offer selected (its cover line joins the cart), the second
 * line's offer left. Shipping and payment session are set: checkout is one call away.
 */
async function quotedCart(shop: Storefront, tag: string): Promise<QuotedCart> {
  const cartId = await shop.createCart()
  // Other metadata, so the second tent is a line of its own.
  await shop.addItem(cartId, 1, { line: `${tag}-second` })
  const tents = (await shop.cart(cartId)).items.filter(
    (i: { variant_id: string | null }) => i.variant_id
  )
  expect(tents).toHaveLength(2)
  const offers: { offer_id: string; quotes: { id: string }[] }[] = []
  for (const tent of tents) {
    const quoted = await shop.quote(cartId, tent.id)
    expect(quoted.status).toBe(200)
    offers.push(quoted.data.xcover_offer)
  }
  const [taken, declined] = offers
  const quoteId = taken.quotes[0].id
  expect(
    (await shop.select(cartId, taken.offer_id, { quote_id: quoteId })).status
  ).toBe(200)
  await shop.prepareCompletion(cartId)
  return { cartId, taken: taken.offer_id, quoteId, declined: declined.offer_id }
}

/** Runs `count` jobs with at most `width` at a time. */
async function inParallel<T>(
  count: number,
  width: number,
  job: (i: number) => Promise<T>
): Promise<T[]> {
  const results: T[] = new Array(count)
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++
        results[i] = await job(i)
      }
    })
  )
  return results
}

describe("delivery across restarts and crashes", () => {
  const standIn = new XcoverStandIn(TEST_CREDENTIALS)
  let cluster: Cluster | undefined

  afterAll(async () => {
    await cluster?.destroy()
    await standIn.stop()
  })

  it("delivers every declined offer exactly once through a crash, an outage and a restart", async () => {
    await standIn.start(0)
    cluster = new Cluster("restart", appEnv(standIn))
    const store = await cluster.prepare()
    const ledger = () => (cluster as Cluster).ledger()

    // 1. A process dies while its request hangs: the offer is left in `sending`.
    standIn.script("crash-d1", { hang: true })
    const first = await cluster.start()
    const cartId = await storefront(first, store).createCart()
    await storefront(first, store).recordOffer(cartId, "crash-d1")
    await storefront(first, store).complete(cartId)
    await eventually(() =>
      expect(standIn.requestsFor("crash-d1").map((r) => r.answer)).toEqual([
        "hang",
      ])
    )
    await first.kill()
    expect(
      (await ledger()).find((r) => r.offer_id === "crash-d1")?.status
    ).toBe("sending")

    // 2. XCover is unreachable while orders are placed on a new instance.
    await standIn.stop()
    const second = await cluster.start()
    const orders: { taken: string; declined: string[] }[] = []
    for (let i = 0; i < 4; i++) {
      orders.push(await placeOrder(storefront(second, store), `outage${i}`))
    }
    const declined = ["crash-d1", ...orders.flatMap((o) => o.declined)].sort()
    await eventually(
      async () => {
        const rows = (await ledger()).filter((r) =>
          declined.includes(r.offer_id)
        )
        expect(rows.map((r) => [r.offer_id, r.status])).toEqual(
          declined.map((id) => [id, "retrying"])
        )
      },
      { timeoutMs: 60_000 }
    )

    // 3. The instance stops; XCover comes back; a new instance on the same database finishes.
    await second.stop()
    await standIn.start()
    standIn.received.length = 0
    await cluster.start()
    await eventually(
      () => expect([...standIn.acceptedOfferIds()].sort()).toEqual(declined),
      { timeoutMs: 60_000 }
    )

    // The ledger is written just after XCover answers.
    await eventually(async () => {
      const rows = await ledger()
      expect(
        rows
          .filter((r) => r.status === "opted_out")
          .map((r) => r.offer_id)
          .sort()
      ).toEqual(declined)
      expect(
        rows
          .filter((r) => r.status === "selected")
          .map((r) => r.offer_id)
          .sort()
      ).toEqual(orders.map((o) => o.taken).sort())
    })
    const taken = new Set(orders.map((o) => o.taken))
    expect(
      standIn.received.filter((r) => r.offerId && taken.has(r.offerId))
    ).toEqual([])
  })
})

describe("two instances (shared + worker) with the Redis event bus and workflow engine", () => {
  // A Redis database of its own, so parallel runs on this machine do not share queues.
  const redisDb = 1 + Math.floor(Math.random() * 15)
  const redisBase = (process.env.REDIS_URL ?? "redis://127.0.0.1:6379").replace(
    /\/\d*$/,
    ""
  )
  const redisUrl = `${redisBase}/${redisDb}`
  const flushRedis = async () => {
    const redis = new Redis(redisUrl)
    await redis.flushdb()
    redis.disconnect()
  }
  // Instance A serves the store and works (shared mode); B only works (worker mode). Each has its
  // own key pair so the stand-in can count each process's calls. The last test replaces B by a
  // shared instance with B's key, so that orders go through both instances' store APIs.
  const keys = [
    {
      apiKey: "instance-a-key",
      apiSecret: "instance-a/secret+",
      mode: "shared",
    },
    {
      apiKey: "instance-b-key",
      apiSecret: "instance-b/secret=",
      mode: "worker",
    },
  ]
  // XCover counts arrivals at its end: the stand-in gets a process of its own, so its clock
  // readings are not delayed by this process placing orders.
  let standIn: StandInProcess
  let cluster: Cluster | undefined
  // 60 orders (120 opt-outs, 12 s at 10/s) keep the suite in its time; more with XCOVER_BURST_ORDERS.
  const ORDERS = Number(process.env.XCOVER_BURST_ORDERS ?? 60)
  // One budget for the account, whichever process sends; Confirm Offer has its own (XCover limits it apart).
  const RATE = 10
  const OFFER_RATE = 15
  // A request's deadline: long enough that a slow answer the old per-phase timeouts let through
  // (3 x this, less a second) outlasts a send's lease (this + 5 s); see the last test.
  const TIMEOUT_MS = 5_000
  let shop: Storefront
  let store: SeededStore
  let pair: MedusaServer[]

  afterAll(async () => {
    await cluster?.destroy()
    await standIn?.stop()
    await flushRedis()
  })
  const accepted = (arrivals: Arrival[]) =>
    arrivals.filter((r) => r.answer === 204).map((r) => r.offerId as string)

  it(`opts out each declined offer of ${ORDERS} burst orders exactly once, within the account's rate limit`, async () => {
    await flushRedis()
    standIn = await StandInProcess.start({
      ...TEST_CREDENTIALS,
      extraKeys: keys,
    })
    cluster = new Cluster(
      "pair",
      appEnv(standIn, {
        REDIS_URL: redisUrl,
        XCOVER_MAX_REQUESTS_PER_SECOND: String(RATE),
        XCOVER_MAX_OFFER_REQUESTS_PER_SECOND: String(OFFER_RATE),
        XCOVER_TIMEOUT_MS: String(TIMEOUT_MS),
      })
    )
    store = await cluster.prepare()
    pair = await Promise.all(
      keys.map((k) =>
        (cluster as Cluster).start({
          XCOVER_API_KEY: k.apiKey,
          XCOVER_API_SECRET: k.apiSecret,
          MEDUSA_WORKER_MODE: k.mode,
        })
      )
    )

    shop = storefront(pair[0], store)
    const orders = await inParallel(ORDERS, 8, (i) =>
      placeOrder(shop, `burst${i}`)
    )
    const declined = orders.flatMap((o) => o.declined).sort()
    const taken = new Set(orders.map((o) => o.taken))

    const received = await eventually(
      async () => {
        const arrivals = await standIn.received()
        expect(accepted(arrivals).length).toBe(declined.length)
        return arrivals
      },
      { timeoutMs: 240_000, intervalMs: 500 }
    )
    expect(accepted(received).sort()).toEqual(declined)
    expect(received.filter((r) => r.offerId && taken.has(r.offerId))).toEqual(
      []
    )
    // Each offer was sent once: claims are atomic, so no 409 replays either.
    expect(received.filter((r) => r.answer !== 204)).toEqual([])

    await eventually(async () => {
      const rows = await (cluster as Cluster).ledger()
      expect(rows.filter((r) => r.status === "opted_out")).toHaveLength(
        declined.length
      )
      expect(rows.filter((r) => r.status === "selected")).toHaveLength(
        orders.length
      )
    })

    // Both processes sent opt-outs, and together they never exceeded the account's rate in any
    // one-second window as counted at XCover.
    for (const { apiKey } of keys) {
      expect(
        received.filter((r) => r.apiKey === apiKey).length
      ).toBeGreaterThan(0)
    }
    expect(maxPerSecond(received.map((r) => r.at))).toBeLessThanOrEqual(RATE)
  })

  it("holds back every sender of the account, queued calls included, for a 429's Retry-After", async () => {
    await standIn.reset()
    await standIn.scriptNext({ status: 429, headers: { "retry-after": "3" } })
    const orders = await inParallel(10, 8, (i) => placeOrder(shop, `pause${i}`))
    const declined = orders.flatMap((o) => o.declined).sort()
    const received = await eventually(
      async () => {
        const arrivals = await standIn.received()
        expect([...new Set(accepted(arrivals))].sort()).toEqual(declined)
        return arrivals
      },
      { timeoutMs: 60_000, intervalMs: 250 }
    )
    const throttled = received.find((r) => r.answer === 429)
    expect(throttled).toBeDefined()
    const at = (throttled as Arrival).at
    // Nothing from either process during the pause; the 20 offers went out after it.
    expect(received.filter((r) => r.at > at && r.at < at + 3000)).toEqual([])
    expect(received.filter((r) => r.at >= at + 3000).length).toBe(
      declined.length
    )
    // Each offer accepted once; the throttled one was simply sent again.
    expect(accepted(received).sort()).toEqual(declined)
  })

  const MIXED = Number(process.env.XCOVER_MIXED_ORDERS ?? 40)

  it(`books each taken offer and opts out each declined one exactly once, ${MIXED} burst orders over both instances' store APIs, within the account's rate limit`, async () => {
    await standIn.reset()
    // The worker makes way for a second shared instance (its key kept): both now serve the store
    // API, both run the subscribers and the dispatch job.
    const [first, worker] = pair
    const [second] = await Promise.all([
      (cluster as Cluster).start({
        XCOVER_API_KEY: keys[1].apiKey,
        XCOVER_API_SECRET: keys[1].apiSecret,
        MEDUSA_WORKER_MODE: "shared",
      }),
      worker.stop(),
    ])
    pair = [first, second]
    const shops = [storefront(first, store), storefront(second, store)]

    // Carts quoted (Create Offer) and covered on one instance, half on each...
    const carts = await inParallel(MIXED, 8, (i) =>
      quotedCart(shops[i % 2], `mixed${i}`)
    )
    const taken = carts.map((c) => c.taken).sort()
    const declined = carts.map((c) => c.declined).sort()
    expect(new Set([...taken, ...declined]).size).toBe(2 * MIXED)
    // ...then checked out in one burst, each on the other instance.
    await inParallel(MIXED, 16, (i) =>
      shops[(i + 1) % 2].completeAgain(carts[i].cartId)
    )

    const dispatched = (arrivals: Arrival[]) =>
      arrivals.filter((r) => r.route === "confirm" || r.route === "opt_out")
    const answered = (arrivals: Arrival[]) =>
      dispatched(arrivals).filter((r) => r.answer === 200 || r.answer === 204)
    await eventually(
      async () =>
        expect(
          answered(await standIn.received()).length
        ).toBeGreaterThanOrEqual(2 * MIXED),
      {
        timeoutMs: 180_000,
        intervalMs: 500,
      }
    )

    // The ledger, written just after XCover answers: each taken offer booked with XCover's booking,
    // each declined offer opted out and never booked.
    const atXcover = new Map(
      (await standIn.bookings()).map((b) => [b.offerId, b.bookingId])
    )
    expect([...atXcover.keys()].sort()).toEqual(taken)
    const ledgerQuery = (sql: string) =>
      query<Record<string, unknown>>(
        dbEnvFromProcess(),
        (cluster as Cluster).db,
        sql,
        [[...taken, ...declined]]
      )
    await eventually(async () => {
      const bookings = await ledgerQuery(
        "SELECT offer_id, status, booking_id, price_mismatch FROM xcover_booking WHERE offer_id = ANY($1) AND deleted_at IS NULL ORDER BY offer_id"
      )
      expect(bookings).toEqual(
        taken.map((id) => ({
          offer_id: id,
          status: "booked",
          booking_id: atXcover.get(id),
          price_mismatch: false,
        }))
      )
      const offers = await ledgerQuery(
        "SELECT offer_id, status, taken_quote_id FROM xcover_offer WHERE offer_id = ANY($1) ORDER BY offer_id"
      )
      const quoteOf = new Map(carts.map((c) => [c.taken, c.quoteId]))
      expect(offers).toEqual(
        [...taken, ...declined].sort().map((id) =>
          quoteOf.has(id)
            ? {
                offer_id: id,
                status: "selected",
                taken_quote_id: quoteOf.get(id),
              }
            : { offer_id: id, status: "opted_out", taken_quote_id: null }
        )
      )
    })

    // Read once more after the ledger settled, so a late second send would show.
    const received = await standIn.received()
    const calls = (ids: string[]) =>
      Object.fromEntries(
        ids.map((id) => [
          id,
          dispatched(received)
            .filter((r) => r.offerId === id)
            .map((r) => [r.route, r.answer]),
        ])
      )
    // Per taken offer one confirm, answered 200, and no opt-out; per declined offer one opt-out,
    // answered 204, and no confirm.
    expect(calls(taken)).toEqual(
      Object.fromEntries(taken.map((id) => [id, [["confirm", 200]]]))
    )
    expect(calls(declined)).toEqual(
      Object.fromEntries(declined.map((id) => [id, [["opt_out", 204]]]))
    )
    // Nothing else was sent: no replays (409), no Get Booking, no other offer.
    expect(dispatched(received)).toHaveLength(2 * MIXED)
    expect(
      received.filter(
        (r) =>
          r.route !== "create_offer" &&
          r.route !== "confirm" &&
          r.route !== "opt_out"
      )
    ).toEqual([])
    // The quotes came through both store APIs: two per cart, on the instance that cart was made on.
    const created = received.filter((r) => r.route === "create_offer")
    expect(created.map((r) => r.answer)).toEqual(new Array(2 * MIXED).fill(200))
    keys.forEach(({ apiKey }, k) =>
      expect(created.filter((r) => r.apiKey === apiKey)).toHaveLength(
        2 * carts.filter((_, i) => i % 2 === k).length
      )
    )

    // Both processes sent, and neither route's budget was exceeded in any one-second window as
    // counted at XCover: opt-outs at the account's rate, confirms at Confirm Offer's own (Create
    // Offer is in neither).
    const sent = dispatched(received)
    for (const { apiKey } of keys) {
      expect(sent.filter((r) => r.apiKey === apiKey).length).toBeGreaterThan(0)
    }
    const span =
      Math.max(...sent.map((r) => r.at)) - Math.min(...sent.map((r) => r.at))
    const split = keys.map(({ apiKey }) =>
      ["confirm", "opt_out"]
        .map(
          (route) =>
            sent.filter((r) => r.apiKey === apiKey && r.route === route).length
        )
        .join("/")
    )
    const peaks = Object.fromEntries(
      (["opt_out", "confirm"] as const).map((route) => [
        route,
        maxPerSecond(sent.filter((r) => r.route === route).map((r) => r.at)),
      ])
    )
    const over = peaks.opt_out > RATE || peaks.confirm > OFFER_RATE
    const busiest = over
      ? `\nbusiest second:\n${describeWindow(densestSecond(sent), (r) => `${r.apiKey} ${r.route}`)}`
      : ""
    console.log(
      `mixed burst: ${sent.length} calls in ${span} ms, at most ${peaks.opt_out} opt-outs and ${peaks.confirm} confirms in a second; confirm/opt_out per instance: ${split.join(", ")}${busiest}`
    )
    expect(peaks.opt_out).toBeLessThanOrEqual(RATE)
    expect(peaks.confirm).toBeLessThanOrEqual(OFFER_RATE)
  })

  it("never sends an opt-out again, from either instance, while its first request's slow answer is still coming in", async () => {
    await standIn.reset()
    // Headers a second before the timeout, then a body trickling for twice the timeout: each phase
    // alone under the timeout, the whole answer 3 x TIMEOUT_MS - 1 s, past the send's lease.
    const offerId = "slow-answer-d1"
    await standIn.script(offerId, {
      trickle: {
        status: 503,
        headersAfterMs: TIMEOUT_MS - 1_000,
        bodyMs: 2 * TIMEOUT_MS,
      },
    })
    const cartId = await shop.createCart()
    await shop.recordOffer(cartId, offerId)
    await shop.complete(cartId)

    // Until the offer is opted out and no request for it is still open: on the old client that is
    // once the slow answer has ended, after the lease (and another process's chance to take it over).
    const ended = (r: Arrival) =>
      r.closedAt ?? (r.handledMs === null ? null : r.at + r.handledMs)
    const requests = await eventually(
      async () => {
        const rows = await query<{ status: string }>(
          dbEnvFromProcess(),
          (cluster as Cluster).db,
          "SELECT status FROM xcover_offer WHERE offer_id = $1",
          [offerId]
        )
        expect(rows.map((r) => r.status)).toEqual(["opted_out"])
        const arrivals = (await standIn.received()).filter(
          (r) => r.offerId === offerId
        )
        expect(arrivals.filter((r) => ended(r) === null)).toEqual([])
        return arrivals
      },
      { timeoutMs: 4 * TIMEOUT_MS + 30_000, intervalMs: 250 }
    )
    const [slow, ...later] = requests
    expect(slow.answer).toBe(503)
    // No second request for the operation while the first was open, from either process (each
    // instance signs with its own key): the sender gave the slow answer up within its lease.
    const meanwhile = later.filter((r) => r.at < (ended(slow) as number))
    expect(
      meanwhile.map((r) => ({
        apiKey: r.apiKey,
        answer: r.answer,
        afterMs: r.at - slow.at,
      }))
    ).toEqual([])
    expect((ended(slow) as number) - slow.at).toBeLessThan(TIMEOUT_MS + 5_000)
    // Then retried (the same idempotency key) and accepted.
    expect(later.map((r) => r.answer)).toEqual([204])
  })
})
