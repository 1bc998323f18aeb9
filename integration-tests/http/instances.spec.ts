import axios from "axios"
import Redis from "ioredis"
import { eventually } from "../helpers/eventually"
import { MedusaProcess, databaseUrl, dropDatabase, freePort, prepareDatabase, seedDatabase, sql } from "../helpers/medusa-process"
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

function appEnv(standIn: XcoverStandIn, extra: Record<string, string> = {}): Record<string, string> {
  return { NODE_ENV: "production", LOG_LEVEL: "warn", ...xcoverTestEnv(standIn.baseUrl, extra) }
}

function storefront(app: MedusaProcess, store: SeededStore): Storefront {
  const client = axios.create({ baseURL: app.url })
  // Failures name the call and Medusa's answer instead of a bare "status code 400".
  client.interceptors.response.use(undefined, (err) => {
    if (err.response) {
      err.message = `${err.config?.method?.toUpperCase()} ${err.config?.url} -> ${err.response.status} ${JSON.stringify(err.response.data)}`
    }
    throw err
  })
  return new Storefront(client, store)
}

type LedgerRow = { offer_id: string; status: string; attempts: number }
const ledger = (db: string) => sql<LedgerRow>(db, "SELECT offer_id, status, attempts FROM xcover_offer ORDER BY offer_id")

/** One order with one taken and two declined offers; returns the declined ids. */
async function placeOrder(shop: Storefront, tag: string): Promise<{ taken: string; declined: string[] }> {
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

/** Runs `count` jobs with at most `width` at a time. */
async function inParallel<T>(count: number, width: number, job: (i: number) => Promise<T>): Promise<T[]> {
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
  const db = `xcover_restart_${suffix}`
  const standIn = new XcoverStandIn(TEST_CREDENTIALS)
  const apps: MedusaProcess[] = []

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop("SIGKILL")))
    await standIn.stop()
    await dropDatabase(db)
  })

  it("delivers every declined offer exactly once through a crash, an outage and a restart", async () => {
    await standIn.start(0)
    const env = appEnv(standIn)
    await prepareDatabase(db, env)
    const store = await seedDatabase<SeededStore>(db, env)
    const start = async () => {
      const app = new MedusaProcess(await freePort(), { ...env, DATABASE_URL: databaseUrl(db) })
      apps.push(app)
      return app.start()
    }

    // 1. A process dies while its request hangs: the offer is left in `sending`.
    standIn.script("crash-d1", { hang: true })
    const first = await start()
    const cartId = await storefront(first, store).createCart()
    await storefront(first, store).recordOffer(cartId, "crash-d1")
    await storefront(first, store).complete(cartId)
    await eventually(() => expect(standIn.requestsFor("crash-d1").map((r) => r.answer)).toEqual(["hang"]))
    await first.stop("SIGKILL")
    expect((await ledger(db)).find((r) => r.offer_id === "crash-d1")?.status).toBe("sending")

    // 2. XCover is unreachable while orders are placed on a new instance.
    await standIn.stop()
    const second = await start()
    const orders = []
    for (let i = 0; i < 4; i++) {
      orders.push(await placeOrder(storefront(second, store), `outage${i}`))
    }
    const declined = ["crash-d1", ...orders.flatMap((o) => o.declined)].sort()
    await eventually(
      async () => {
        const rows = (await ledger(db)).filter((r) => declined.includes(r.offer_id))
        expect(rows.map((r) => [r.offer_id, r.status])).toEqual(declined.map((id) => [id, "retrying"]))
      },
      { timeoutMs: 60_000 }
    )

    // 3. The instance stops; XCover comes back; a new instance on the same database finishes.
    await second.stop("SIGTERM")
    await standIn.start()
    standIn.received.length = 0
    await start()
    await eventually(() => expect([...standIn.acceptedOfferIds()].sort()).toEqual(declined), { timeoutMs: 60_000 })

    const rows = await ledger(db)
    expect(rows.filter((r) => r.status === "opted_out").map((r) => r.offer_id).sort()).toEqual(declined)
    expect(rows.filter((r) => r.status === "selected").map((r) => r.offer_id).sort()).toEqual(orders.map((o) => o.taken).sort())
    const taken = new Set(orders.map((o) => o.taken))
    expect(standIn.received.filter((r) => r.offerId && taken.has(r.offerId))).toEqual([])
  })
})

describe("two instances (shared + worker) with the Redis event bus and workflow engine", () => {
  const db = `xcover_pair_${suffix}`
  // A Redis database of its own, so parallel runs on this machine do not share queues.
  const redisDb = 1 + Math.floor(Math.random() * 15)
  const redisBase = (process.env.REDIS_URL ?? "redis://127.0.0.1:6379").replace(/\/\d*$/, "")
  const redisUrl = `${redisBase}/${redisDb}`
  // Instance A serves the store and works (shared mode); B only works (worker mode). Each has its
  // own key pair so the stand-in can count each process's calls.
  const keys = [
    { apiKey: "instance-a-key", apiSecret: "instance-a/secret+", mode: "shared" },
    { apiKey: "instance-b-key", apiSecret: "instance-b/secret=", mode: "worker" },
  ]
  const standIn = new XcoverStandIn({ ...TEST_CREDENTIALS, extraKeys: keys })
  const apps: MedusaProcess[] = []
  const ORDERS = Number(process.env.XCOVER_BURST_ORDERS ?? 200)
  const RATE = 20

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop("SIGKILL")))
    await standIn.stop()
    await dropDatabase(db)
    const redis = new Redis(redisUrl)
    await redis.flushdb()
    redis.disconnect()
  })

  it(`opts out each declined offer of ${ORDERS} burst orders exactly once, within the rate limit`, async () => {
    const redis = new Redis(redisUrl)
    await redis.flushdb()
    redis.disconnect()
    await standIn.start(0)
    const env = appEnv(standIn, { REDIS_URL: redisUrl, XCOVER_MAX_REQUESTS_PER_SECOND: String(RATE) })
    await prepareDatabase(db, env)
    const store = await seedDatabase<SeededStore>(db, env)
    const pair = await Promise.all(
      keys.map(async (k) => {
        const app = new MedusaProcess(await freePort(), {
          ...env,
          XCOVER_API_KEY: k.apiKey,
          XCOVER_API_SECRET: k.apiSecret,
          MEDUSA_WORKER_MODE: k.mode,
          DATABASE_URL: databaseUrl(db),
        })
        apps.push(app)
        return app.start()
      })
    )

    const shop = storefront(pair[0], store)
    const orders = await inParallel(ORDERS, 8, (i) => placeOrder(shop, `burst${i}`))
    const declined = orders.flatMap((o) => o.declined).sort()
    const taken = new Set(orders.map((o) => o.taken))

    await eventually(() => expect(standIn.acceptedOfferIds().length).toBe(declined.length), {
      timeoutMs: 240_000,
      intervalMs: 500,
    })
    expect([...standIn.acceptedOfferIds()].sort()).toEqual(declined)
    expect(standIn.received.filter((r) => r.offerId && taken.has(r.offerId))).toEqual([])
    // Each offer was sent once: claims are atomic, so no 409 replays either.
    expect(standIn.received.filter((r) => r.answer !== 204)).toEqual([])

    const rows = await ledger(db)
    expect(rows.filter((r) => r.status === "opted_out")).toHaveLength(declined.length)
    expect(rows.filter((r) => r.status === "selected")).toHaveLength(orders.length)

    // Both processes sent opt-outs, and neither exceeded its rate in any one-second window.
    for (const { apiKey } of keys) {
      const times = standIn.received.filter((r) => r.apiKey === apiKey).map((r) => r.at).sort((a, b) => a - b)
      let busiest = 0
      for (let i = 0, j = 0; i < times.length; i++) {
        while (times[i] - times[j] >= 1000) {
          j++
        }
        busiest = Math.max(busiest, i - j + 1)
      }
      expect(times.length).toBeGreaterThan(0)
      expect(busiest).toBeLessThanOrEqual(RATE)
    }
  })
})
