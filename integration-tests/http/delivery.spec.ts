import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { eventually } from "../helpers/eventually"
import { seedStoreOnce } from "../helpers/seed-once"
import { Storefront } from "../helpers/storefront"
import { useXcoverStandIn } from "../helpers/xcover-env"
import type XcoverModuleService from "../../src/modules/xcover/service"

jest.setTimeout(180_000)

// Short delays through the options: first retry after ~200 ms, at most 1 s apart, give up after
// 6 s; the dispatch job runs every second.
const MAX_AGE_MS = 6_000
const standIn = useXcoverStandIn({
  XCOVER_RETRY_MAX_AGE_MS: String(MAX_AGE_MS),
})

medusaIntegrationTestRunner({
  testSuite: (suite) => {
    const { api, getContainer } = suite
    let shop: Storefront
    const xcover = () => getContainer().resolve<XcoverModuleService>("xcover")
    const offerRow = async (offerId: string) =>
      (await xcover().listXcoverOffers({ offer_id: offerId }))[0]

    const placeOrderDeclining = async (...offers: string[]) => {
      const cartId = await shop.createCart()
      for (const offer of offers) {
        await shop.recordOffer(cartId, offer)
      }
      return shop.complete(cartId)
    }

    const seededStore = seedStoreOnce(suite)
    beforeEach(() => {
      standIn.reset()
      shop = new Storefront(api, seededStore())
    })

    it("retries 5xx until XCover accepts, with the same idempotency key every time", async () => {
      standIn.script(
        "flaky-1",
        { status: 503 },
        { status: 500 },
        { status: 502 }
      )
      await placeOrderDeclining("flaky-1")
      await eventually(async () =>
        expect((await offerRow("flaky-1")).status).toBe("opted_out")
      )

      const tries = standIn.requestsFor("flaky-1")
      expect(tries.map((t) => t.answer)).toEqual([503, 500, 502, 204])
      expect(new Set(tries.map((t) => t.idempotencyKey)).size).toBe(1)
      expect(standIn.acceptedOfferIds()).toEqual(["flaky-1"])
      // Each try is signed afresh: no Date header is reused.
      expect(tries.every((t, i) => i === 0 || t.at > tries[i - 1].at)).toBe(
        true
      )
      expect(await offerRow("flaky-1")).toMatchObject({
        attempts: 4,
        last_error: null,
        last_status: 204,
      })
    })

    it("waits at least as long as Retry-After after a 429", async () => {
      standIn.script("throttled-1", {
        status: 429,
        headers: { "retry-after": "2" },
      })
      await placeOrderDeclining("throttled-1")
      await eventually(async () =>
        expect((await offerRow("throttled-1")).status).toBe("opted_out")
      )
      const [first, second] = standIn.requestsFor("throttled-1")
      expect(first.answer).toBe(429)
      expect(second.answer).toBe(204)
      expect(second.at - first.at).toBeGreaterThanOrEqual(2000)
    })

    it("abandons a hanging request after timeoutMs and retries without overlapping it", async () => {
      standIn.script("hang-1", { hang: true })
      await placeOrderDeclining("hang-1")
      await eventually(async () =>
        expect((await offerRow("hang-1")).status).toBe("opted_out")
      )
      const [first, second, ...rest] = standIn.requestsFor("hang-1")
      expect(rest).toEqual([])
      expect(first.answer).toBe("hang")
      expect(first.closedAt).not.toBeNull()
      expect(second.at).toBeGreaterThanOrEqual(first.closedAt as number)
      expect(second.answer).toBe(204)
    })

    it("retries after a connection reset mid-request", async () => {
      standIn.script("reset-1", { reset: true })
      await placeOrderDeclining("reset-1")
      await eventually(async () =>
        expect((await offerRow("reset-1")).status).toBe("opted_out")
      )
      expect(standIn.requestsFor("reset-1").map((r) => r.answer)).toEqual([
        "reset",
        204,
      ])
    })

    it("does not retry a rejection", async () => {
      standIn.script("invalid-1", { status: 422 })
      await placeOrderDeclining("invalid-1")
      await eventually(async () =>
        expect((await offerRow("invalid-1")).status).toBe("rejected")
      )
      // Another order's opt-out goes through the same dispatch job: by then a retry would show.
      await placeOrderDeclining("later-1")
      await eventually(async () =>
        expect((await offerRow("later-1")).status).toBe("opted_out")
      )
      expect(standIn.requestsFor("invalid-1")).toHaveLength(1)
    })

    it("gives up as failed once the offer is older than retry.maxAgeMs, with the reason", async () => {
      standIn.script(
        "down-1",
        ...Array.from({ length: 50 }, () => ({ status: 503 }))
      )
      await placeOrderDeclining("down-1")
      const row = await eventually(
        async () => {
          const r = await offerRow("down-1")
          expect(r.status).toBe("failed")
          return r
        },
        { timeoutMs: MAX_AGE_MS + 15_000 }
      )
      expect(row.last_error).toBe("503 api_error: stand-in answered 503")
      const tries = standIn.requestsFor("down-1")
      expect(row.attempts).toBe(tries.length)
      expect(tries.length).toBeGreaterThan(2)
      // The last try happens at (not long after) the deadline, none after it.
      expect(tries[tries.length - 1].at - tries[0].at).toBeLessThan(
        MAX_AGE_MS + 2_000
      )
    })

    it("holds every offer while XCover refuses the credentials, then sends them all; one error line per opening", async () => {
      const logger =
        getContainer().resolve<Record<string, (...args: unknown[]) => unknown>>(
          "logger"
        )
      const errors = jest.spyOn(logger, "error")
      try {
        // A rotated key, say: XCover answers 403 to everything for a while.
        standIn.setDefault({ status: 403 })
        await placeOrderDeclining("refused-1", "refused-2")
        await eventually(async () =>
          expect((await xcover().getDeliveryHealth()).circuit.open).toBe(true)
        )
        await placeOrderDeclining("refused-3")
        await eventually(async () => {
          for (const offer of ["refused-1", "refused-2", "refused-3"]) {
            expect(["pending", "retrying"]).toContain(
              (await offerRow(offer)).status
            )
          }
        })
        // While the circuit is open nothing but the probe is sent, and no offer is tried twice.
        const refused = standIn.received.filter(
          (r) => r.answer === 403 && !r.offerId?.startsWith("connection-test-")
        )
        expect(new Set(refused.map((r) => r.offerId)).size).toBe(refused.length)

        // XCover accepts again: the probe (30 s after the opening) closes the circuit.
        standIn.setDefault({ status: 204 })
        await eventually(
          async () => {
            for (const offer of ["refused-1", "refused-2", "refused-3"]) {
              expect((await offerRow(offer)).status).toBe("opted_out")
            }
          },
          { timeoutMs: 60_000, intervalMs: 500 }
        )
        expect(
          errors.mock.calls.filter(([line]) =>
            String(line).includes("refused the credentials")
          )
        ).toHaveLength(1)
        expect((await xcover().getDeliveryHealth()).circuit.open).toBe(false)
      } finally {
        errors.mockRestore()
      }
    })

    it("warns once when XCover's clock is more than a minute from ours, and shows it in the delivery health", async () => {
      const logger =
        getContainer().resolve<Record<string, (...args: unknown[]) => unknown>>(
          "logger"
        )
      const warnings = jest.spyOn(logger, "warn")
      try {
        // Our clock two minutes ahead of XCover's (still inside XCover's 5-minute signature window).
        standIn.setClockOffset(-120_000)
        await placeOrderDeclining("skewed-1", "skewed-2")
        await eventually(async () =>
          expect((await offerRow("skewed-2")).status).toBe("opted_out")
        )
        const health = await eventually(async () => {
          const h = await xcover().getDeliveryHealth()
          expect(h.clock_skew_ms).not.toBeNull()
          return h
        })
        expect(health.clock_skew_ms).toBeLessThan(-115_000)
        expect(
          warnings.mock.calls.filter(([line]) =>
            String(line).includes("clock is")
          )
        ).toHaveLength(1)
      } finally {
        warnings.mockRestore()
      }
    })

    it("never opts out the taken offer, even when its line item is added after it was recorded", async () => {
      const cartId = await shop.createCart()
      await shop.recordOffer(cartId, "late-take")
      await shop.recordOffer(cartId, "late-decline")
      await shop.setMetadata(cartId, { xcover_offer_ids: ["late-take"] })
      await shop.takeOffer(cartId, "late-take")
      await shop.complete(cartId)
      await eventually(async () =>
        expect((await offerRow("late-decline")).status).toBe("opted_out")
      )
      expect((await offerRow("late-take")).status).toBe("selected")
      expect(standIn.requestsFor("late-take")).toEqual([])
    })
  },
})
