import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { recordMixedOrders } from "../../bench/dispatch"
import { StandInProcess, type Arrival } from "../../bench/stand-in-process"
import { maxPerSecond } from "../../bench/stats"
import type XcoverModuleService from "../../src/modules/xcover/service"
import { createAdminUser } from "../helpers/admin-user"
import { bookedOrder as bookedOrderOf } from "../helpers/booked-order"
import { eventually } from "../helpers/eventually"
import { describeWindow, densestSecond } from "../helpers/rate-window"
import { seedStore } from "../helpers/seed-store"
import { answer, Storefront } from "../helpers/storefront"
import { TEST_CREDENTIALS, xcoverTestEnv } from "../helpers/xcover-env"

jest.setTimeout(180_000)

/** The account's limits here: 1/s for the other routes, 3/s for Confirm Offer (XCover's 20 and 50, scaled down). */
const RATE = 1
const OFFER_RATE = 3

// Arrivals are counted at XCover's end, in a process of its own (as in flow-control.spec).
let standIn: StandInProcess
beforeAll(async () => {
  standIn = await StandInProcess.start(TEST_CREDENTIALS)
  Object.assign(
    process.env,
    xcoverTestEnv(standIn.baseUrl, {
      XCOVER_MAX_REQUESTS_PER_SECOND: String(RATE),
      XCOVER_MAX_OFFER_REQUESTS_PER_SECOND: String(OFFER_RATE),
    })
  )
})
afterAll(() => standIn.stop())

/** The most requests of each route in any one second, and the busiest second's requests for a failure's message. */
function perRoute(arrivals: Arrival[]): {
  rates: Record<string, number>
  busiest: string
} {
  const routes = [...new Set(arrivals.map((a) => String(a.route)))]
  const rates = Object.fromEntries(
    routes.map((r) => [
      r,
      maxPerSecond(
        arrivals.filter((a) => String(a.route) === r).map((a) => a.at)
      ),
    ])
  )
  return {
    rates,
    busiest: describeWindow(
      densestSecond(arrivals),
      (a) => `${a.route} ${a.offerId ?? ""} ${a.answer}`
    ),
  }
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    let shop: Storefront
    let admin: { headers: Record<string, string> }
    const xcover = () => getContainer().resolve<XcoverModuleService>("xcover")

    beforeEach(async () => {
      await standIn.reset()
      shop = new Storefront(api, await seedStore(getContainer()))
      admin = await createAdminUser(getContainer(), api)
    })

    const bookedOrder = async () => {
      const { offer, booking } = await bookedOrderOf(shop, xcover)
      return { offerId: String(offer.offer_id), booking }
    }

    it("sends bookings (Confirm Offer) and opt-outs at once each at its own rate, all processes' budget per route", async () => {
      const orders = 8
      await recordMixedOrders(
        { service: xcover(), shutdown: async () => {} },
        standIn,
        orders,
        "rates"
      )
      await Promise.all([
        xcover().dispatchDueBookings(),
        xcover().dispatchDueOptOuts(),
      ])
      const arrivals = await eventually(
        async () => {
          const all = await standIn.received()
          expect(
            all.filter((a) => a.route === "confirm" && a.answer === 200)
          ).toHaveLength(orders)
          expect(
            all.filter((a) => a.route === "opt_out" && a.answer === 204)
          ).toHaveLength(orders)
          return all
        },
        { timeoutMs: 60_000, intervalMs: 500 }
      )
      const { rates, busiest } = perRoute(arrivals)
      // Opt-outs at the other routes' rate; confirms faster than it, never faster than their own.
      expect({ rates, busiest }).toEqual({
        rates: { confirm: expect.any(Number), opt_out: RATE },
        busiest,
      })
      expect({
        confirmsOwnRate: rates.confirm > RATE && rates.confirm <= OFFER_RATE,
        rates,
        busiest,
      }).toEqual({ confirmsOwnRate: true, rates, busiest })
    })

    it("holds the admin's cancel preview while a 429 pause set by the outbox runs: XCover sees it only after the pause", async () => {
      const { booking } = await bookedOrder()
      const retryAfterS = 4
      await standIn.script("throttled-1", {
        status: 429,
        headers: { "retry-after": String(retryAfterS) },
      })
      const cartId = await shop.createCart()
      await shop.recordOffer(cartId, "throttled-1")
      await shop.complete(cartId)
      // The pause is on the shared row once the outbox has read the 429.
      await eventually(async () => {
        const { rows } = await dbConnection.raw(
          `SELECT paused_until > clock_timestamp() AS paused FROM xcover_dispatch_state`
        )
        expect(rows[0].paused).toBe(true)
      })

      const preview = await answer(
        api.post(
          `/admin/xcover/bookings/${booking.id}/cancel-preview`,
          {},
          admin
        )
      )
      expect(preview.status).toBe(200)
      const arrivals = await standIn.received()
      const tooMany = arrivals.find((a) => a.answer === 429)
      const asked = arrivals.find((a) => a.route === "cancel")
      expect(tooMany && asked).toBeTruthy()
      // The pause starts when the outbox read the 429 (after its arrival), for Retry-After;
      // 50 ms for the stand-in's and the database's clock readings and the send's lead.
      expect(
        (asked as Arrival).at - (tooMany as Arrival).at
      ).toBeGreaterThanOrEqual(retryAfterS * 1000 - 50)
    })

    it("sends the Get Booking after a refused cancellation confirm at a slot of its own: never two requests in one second", async () => {
      const { offerId, booking } = await bookedOrder()
      const before = (await standIn.received()).length
      // Previewed as usual, then the confirmation refused (an expired preview): the plugin reads the booking.
      await standIn.script(
        offerId,
        { status: 200 },
        {
          status: 404,
          body: { type: "api_error", message: "Cancellation does not exist" },
        }
      )
      await answer(
        api.post(`/admin/xcover/bookings/${booking.id}/cancel`, {}, admin)
      )
      const sent = await eventually(async () => {
        const after = (await standIn.received()).slice(before)
        expect(after.map((a) => a.route)).toEqual([
          "cancel",
          "confirm_cancellation",
          "get_booking",
        ])
        return after
      })
      const { busiest } = perRoute(sent)
      expect({
        perSecond: maxPerSecond(sent.map((a) => a.at)),
        busiest,
      }).toEqual({ perSecond: RATE, busiest })
    })

    it("opens the circuit on the preview's 401; while it is open a preview answers why without reaching XCover", async () => {
      const { offerId, booking } = await bookedOrder()
      await standIn.script(offerId, {
        status: 401,
        body: { type: "auth_error", message: "Invalid API key" },
      })
      const refused = await answer(
        api.post(
          `/admin/xcover/bookings/${booking.id}/cancel-preview`,
          {},
          admin
        )
      )
      expect(refused.status).toBe(400)
      await eventually(async () =>
        expect((await xcover().getDeliveryHealth()).circuit.open).toBe(true)
      )

      const before = (await standIn.received()).length
      const again = await answer(
        api.post(
          `/admin/xcover/bookings/${booking.id}/cancel-preview`,
          {},
          admin
        )
      )
      expect(again.status).toBe(400)
      expect(again.data.message).toContain("refused the credentials")
      expect((await standIn.received()).slice(before)).toEqual([])
    })
  },
})
