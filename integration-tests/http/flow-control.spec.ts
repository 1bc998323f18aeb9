import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { StandInProcess, type Arrival } from "../../bench/stand-in-process"
import { maxPerSecond } from "../../bench/stats"
import { eventually } from "../helpers/eventually"
import { seedStore } from "../helpers/seed-store"
import { Storefront } from "../helpers/storefront"
import { TEST_CREDENTIALS, xcoverTestEnv } from "../helpers/xcover-env"

jest.setTimeout(420_000)

// XCover counts arrivals at its end: the stand-in runs in a process of its own, so its clock
// readings are not delayed by the Medusa app's event loop (in this process) handling checkouts.
let standIn: StandInProcess
beforeAll(async () => {
  standIn = await StandInProcess.start(TEST_CREDENTIALS)
  // A backlog far longer than a lease: 1 call/s (a sandbox key allows 2), 3 s timeout, the
  // dispatch job every 5 s, as a new user would configure a slow account.
  Object.assign(
    process.env,
    xcoverTestEnv(standIn.baseUrl, {
      XCOVER_MAX_REQUESTS_PER_SECOND: "1",
      XCOVER_TIMEOUT_MS: "3000",
      XCOVER_DISPATCH_SCHEDULE: "*/5 * * * * *",
    })
  )
})
afterAll(() => standIn.stop())

// 60 declined offers at 1/s: a backlog a minute long, enough to show the pace, in the suite's time.
const ORDERS = 20
const DECLINED_PER_ORDER = 3

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    it(`sends each of ${ORDERS * DECLINED_PER_ORDER} declined offers of ${ORDERS} back-to-back orders exactly once, never two in one second`, async () => {
      const shop = new Storefront(api, await seedStore(getContainer()))
      const declined: string[] = []
      for (let i = 0; i < ORDERS; i++) {
        const cartId = await shop.createCart()
        for (let j = 0; j < DECLINED_PER_ORDER; j++) {
          const offerId = `backlog-${i}-${j}`
          await shop.recordOffer(cartId, offerId)
          declined.push(offerId)
        }
        await shop.complete(cartId)
      }

      const sends = await eventually(
        async () => {
          const arrivals = (await standIn.received()).filter((r) => r.offerId)
          expect(arrivals.filter((r) => r.answer === 204)).toHaveLength(
            declined.length
          )
          return arrivals
        },
        { timeoutMs: 300_000, intervalMs: 1000 }
      )
      // Once each: no replay (409), no second request for any offer.
      expect(sends.filter((r) => r.answer !== 204)).toEqual([])
      expect(sends.map((r) => r.offerId).sort()).toEqual([...declined].sort())
      const times = sends.map((r: Arrival) => r.at).sort((a, b) => a - b)
      // The closest two arrivals, named in a failure.
      const closest = Math.min(...times.slice(1).map((t, i) => t - times[i]))
      expect({ maxPerSecond: maxPerSecond(times), closest }).toEqual({
        maxPerSecond: 1,
        closest: expect.any(Number),
      })
      expect(closest).toBeGreaterThanOrEqual(1000)
    })
  },
})
