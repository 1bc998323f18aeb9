import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { Logger } from "@medusajs/framework/types"
import { createAdminUser } from "../helpers/admin-user"
import { eventually } from "../helpers/eventually"
import { seedStoreOnce } from "../helpers/seed-once"
import { Storefront } from "../helpers/storefront"
import { useXcoverStandIn } from "../helpers/xcover-env"
import type XcoverModuleService from "../../src/modules/xcover/service"

jest.setTimeout(120_000)

// The scheduled job stays out of the way: each test runs it itself, so it sees exactly one run and
// what that run reports. Its schedule is a yearly date 20 days ahead: within the 24.8 days a Node
// timer can wait (Medusa's scheduler sets one timer for the next run; one further ahead, such as
// 1 January in December, overflows and fires at once, again and again). The job's module reads
// the schedule when it is first loaded, so it is loaded only once Medusa has booted with this env
// (imported at the top of this file, it took the default and ran at the start of every minute).
// Sends are paced at the plugin's default rate, 20/s, as a store's are.
const outOfTheWay = new Date(Date.now() + 20 * 86_400_000)
const SCHEDULE = `0 0 ${outOfTheWay.getDate()} ${outOfTheWay.getMonth() + 1} *`
const standIn = useXcoverStandIn({
  XCOVER_DISPATCH_SCHEDULE: SCHEDULE,
  XCOVER_MAX_REQUESTS_PER_SECOND: "20",
})
type DispatchJobModule = typeof import("../../src/jobs/xcover-outbox")
const loadJob = () =>
  require("../../src/jobs/xcover-outbox") as DispatchJobModule

medusaIntegrationTestRunner({
  testSuite: (suite) => {
    const { api, getContainer, dbConnection } = suite
    let shop: Storefront
    const xcover = () => getContainer().resolve<XcoverModuleService>("xcover")
    const logger = () => getContainer().resolve<Logger>("logger")
    const offerRow = async (offerId: string) =>
      (await xcover().listXcoverOffers({ offer_id: offerId }))[0]
    const runJob = () => loadJob().default(getContainer())
    const sql = async (text: string, bindings: unknown[] = []) =>
      (await dbConnection.raw(text, bindings)).rows
    /** Changes whenever the dispatch job runs: each run takes the recovery cursor (or creates it). */
    const jobRuns = async () =>
      (
        await sql(
          "SELECT count(*)::int AS cursors, max(updated_at) AS touched FROM xcover_recovery_cursor"
        )
      )[0]

    const placeOrder = async (offers: string[], taken: string[] = []) => {
      const cartId = await shop.createCart()
      for (const offer of offers) {
        await shop.recordOffer(cartId, offer)
      }
      for (const offer of taken) {
        await shop.takeOffer(cartId, offer)
      }
      return { cartId, orderId: await shop.complete(cartId) }
    }

    /**
     * As if the order's `order.placed` had never been handled: once its subscriber has finished,
     * the cart's offers go back to `shown` and XCover forgets the calls. Order and offers are
     * then moved `age` into the past: recovery leaves orders of the last two minutes alone.
     */
    const loseOrderPlaced = async (
      order: { cartId: string; orderId: string },
      offerAge: string,
      orderAge = "10 minutes"
    ) => {
      await eventually(async () => {
        const rows = await sql(
          "SELECT status FROM xcover_offer WHERE cart_id = ?",
          [order.cartId]
        )
        expect(rows.length).toBeGreaterThan(0)
        expect(
          rows.every(
            (r: { status: string }) =>
              r.status === "opted_out" || r.status === "selected"
          )
        ).toBe(true)
      })
      await sql(
        `UPDATE xcover_offer SET status = 'shown', order_id = NULL, declined_at = NULL, next_attempt_at = NULL, attempts = 0,
           last_status = NULL, last_error = NULL, last_attempt_at = NULL, completed_at = NULL, created_at = created_at - ?::interval
         WHERE cart_id = ?`,
        [offerAge, order.cartId]
      )
      await sql(
        `UPDATE "order" SET created_at = created_at - ?::interval WHERE id = ?`,
        [orderAge, order.orderId]
      )
      standIn.reset()
    }

    const orderCreatedAt = async (orderId: string): Promise<Date> =>
      (await sql(`SELECT created_at FROM "order" WHERE id = ?`, [orderId]))[0]
        .created_at

    beforeAll(() => {
      // Medusa scheduled the job with the schedule above, not the default (every minute).
      expect(loadJob().config.schedule).toBe(SCHEDULE)
    })

    const seededStore = seedStoreOnce(suite)
    beforeEach(() => {
      standIn.reset()
      shop = new Storefront(api, seededStore())
    })

    afterEach(() => jest.restoreAllMocks())

    it("decides and sends an order whose order.placed was lost, placed 8 days after its offers were recorded, declined at the order's time", async () => {
      const order = await placeOrder(
        ["late-declined", "late-taken"],
        ["late-taken"]
      )
      await loseOrderPlaced(order, "8 days 10 minutes")

      // First run: the cursor starts at the oldest offer still shown.
      const run = await runJob()
      await eventually(async () =>
        expect((await offerRow("late-declined")).status).toBe("opted_out")
      )
      expect(run.recovery).toMatchObject({
        skipped: false,
        decided: [order.orderId],
        failed: [],
      })
      expect(standIn.requestsFor("late-declined")).toHaveLength(1)
      expect(standIn.requestsFor("late-taken")).toEqual([])
      const declined = await offerRow("late-declined")
      expect(declined.order_id).toBe(order.orderId)
      expect(declined.declined_at?.getTime()).toBe(
        (await orderCreatedAt(order.orderId)).getTime()
      )
      expect(await offerRow("late-taken")).toMatchObject({
        status: "selected",
        order_id: order.orderId,
      })
    })

    it("books nothing for an order cancelled before its decision (order.placed lost: its cancellation nudges the reconciler, which decides it), and still opts out the declined offer", async () => {
      const cartId = await shop.createCart()
      const tent = (await shop.cart(cartId)).items[0]
      const offer = (await shop.quote(cartId, tent.id)).data.xcover_offer
      await shop.select(cartId, offer.offer_id, {
        quote_id: offer.quotes[0].id,
      })
      await shop.recordOffer(cartId, "cancelled-declined")
      const orderId = await shop.complete(cartId)
      await eventually(async () =>
        expect((await xcover().listOrderBookings(orderId))[0]?.status).toBe(
          "booked"
        )
      )
      // As if order.placed had never been handled: no booking, offers shown, XCover knowing the offer only.
      await loseOrderPlaced({ cartId, orderId }, "10 minutes")
      await sql(`DELETE FROM xcover_booking WHERE order_id = ?`, [orderId])
      standIn.knowOffer(
        offer.offer_id,
        offer.quotes.map((q: { id: string; price: { amount: number } }) => ({
          id: q.id,
          price: q.price.amount,
        }))
      )
      const admin = await createAdminUser(getContainer(), api)
      await api.post(`/admin/orders/${orderId}/cancel`, {}, admin)

      // The cancellation's event reached the reconciler, which found the order undecided; the job
      // (recovery) would have decided it otherwise. Either way: decided once, nothing booked.
      await eventually(async () =>
        expect((await offerRow("cancelled-declined")).status).toBe("opted_out")
      )
      const run = await runJob()
      expect(run.recovery).toMatchObject({ decided: [], failed: [] })
      expect(await offerRow(offer.offer_id)).toMatchObject({
        status: "selected",
        order_id: orderId,
      })
      expect(await xcover().listOrderBookings(orderId)).toEqual([])
      await runJob()
      expect(standIn.confirmsFor(offer.offer_id)).toEqual([])
      expect(standIn.bookingFor(offer.offer_id)).toBeUndefined()
    })

    // The case: before wake-up timers, these went out at the job's runs only, one or two a minute.
    it("sends ten declined offers, each first answered 429 with Retry-After 3, once the pause is over, with no job run, and nothing during it", async () => {
      const offers = Array.from({ length: 10 }, (_, i) => `throttled-${i}`)
      for (const offerId of offers) {
        standIn.script(offerId, {
          status: 429,
          headers: { "retry-after": "3" },
        })
      }
      const cartId = await shop.createCart()
      for (const offerId of offers) {
        await shop.recordOffer(cartId, offerId)
      }
      const runsBefore = await jobRuns()
      await shop.complete(cartId)
      // Paced at 20/s, each offer's first request meets a pause of its own: ten pauses of 3 s.
      const statuses = async () =>
        Object.fromEntries(
          await Promise.all(
            offers.map(async (id) => [id, (await offerRow(id)).status])
          )
        )
      await eventually(
        async () =>
          expect(await statuses()).toEqual(
            Object.fromEntries(offers.map((id) => [id, "opted_out"]))
          ),
        {
          timeoutMs: 60_000,
          intervalMs: 200,
        }
      )
      expect(await jobRuns()).toEqual(runsBefore)
      const calls = standIn.received.filter(
        (r) => r.offerId && offers.includes(r.offerId)
      )
      for (const offerId of offers) {
        expect({
          offerId,
          answers: calls
            .filter((r) => r.offerId === offerId)
            .map((r) => r.answer),
        }).toEqual({ offerId, answers: [429, 204] })
      }
      // Nothing while a pause ran: no request reached XCover from 250 ms after a 429 (its answer
      // on its way back; requests already under way may still arrive) until its 3 s were over.
      const throttled = calls.filter((r) => r.answer === 429)
      const duringPause = calls.filter((r) =>
        throttled.some((t) => r.at - t.at > 250 && r.at - t.at < 2_950)
      )
      expect(
        duringPause.map((r) => ({ offerId: r.offerId, answer: r.answer }))
      ).toEqual([])
    })

    it("costs nothing for 1,000 abandoned carts: a run reads only the orders placed since the last one", async () => {
      await runJob()
      // The last run was an hour ago.
      await sql(
        "UPDATE xcover_recovery_cursor SET after_created_at = now() - interval '1 hour', after_id = ''"
      )
      await sql(
        `INSERT INTO xcover_offer (id, offer_id, cart_id, source, status, attempts, idempotency_key, created_at, updated_at)
         SELECT 'xco_ab_' || n, 'abandoned-' || n, 'cart_abandoned_' || n, 'store_route', 'shown', 0, 'k-' || n,
                now() - n * interval '8 minutes', now() - n * interval '8 minutes'
         FROM generate_series(1, 1000) AS n`
      )
      const order = await placeOrder(["amid-abandoned"])
      await loseOrderPlaced(order, "10 minutes")

      const { recovery } = await runJob()
      expect(recovery).toEqual({
        skipped: false,
        orders_checked: 1,
        ledger_rows_read: 1,
        decided: [order.orderId],
        failed: [],
      })
      await eventually(async () =>
        expect((await offerRow("amid-abandoned")).status).toBe("opted_out")
      )
      const [untouched] = await sql(
        "SELECT count(*)::int AS count FROM xcover_offer WHERE cart_id LIKE 'cart_abandoned_%' AND status = 'shown' AND next_attempt_at IS NULL AND updated_at = created_at"
      )
      expect(untouched.count).toBe(1000)
      expect(
        standIn.received.filter((r) => r.offerId?.startsWith("abandoned-"))
      ).toEqual([])

      // The cursor moved past the order: the next run has nothing to read.
      expect((await runJob()).recovery).toMatchObject({
        orders_checked: 0,
        ledger_rows_read: 0,
      })
    })

    it("never opts out an offer bought in cart B but recorded first by cart A, whichever completes first", async () => {
      const cartA = await shop.createCart()
      await shop.recordOffer(cartA, "shared-x")
      await shop.recordOffer(cartA, "a-declined")
      const orderB = await placeOrder(["b-declined"], ["shared-x"])
      await eventually(async () =>
        expect((await offerRow("b-declined")).status).toBe("opted_out")
      )
      expect(await offerRow("shared-x")).toMatchObject({
        status: "selected",
        order_id: orderB.orderId,
        cart_id: cartA,
      })
      // The normal path declines at the order's time too.
      expect((await offerRow("b-declined")).declined_at?.getTime()).toBe(
        (await orderCreatedAt(orderB.orderId)).getTime()
      )

      await shop.complete(cartA)
      await eventually(async () =>
        expect((await offerRow("a-declined")).status).toBe("opted_out")
      )
      expect(await offerRow("shared-x")).toMatchObject({
        status: "selected",
        order_id: orderB.orderId,
      })
      expect(standIn.requestsFor("shared-x")).toEqual([])
    })

    it("logs and skips an order whose decision fails, and still sends the other due opt-outs", async () => {
      const poisoned = await placeOrder(["poisoned-1"])
      await loseOrderPlaced(poisoned, "10 minutes")
      // Any write to the poisoned cart's offers fails, as a broken row would.
      await sql(`CREATE FUNCTION xcover_test_poison() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN RAISE EXCEPTION 'poisoned row'; END $$`)
      await sql(
        `CREATE TRIGGER xcover_test_poison BEFORE UPDATE ON xcover_offer FOR EACH ROW
         WHEN (OLD.cart_id = '${poisoned.cartId}') EXECUTE FUNCTION xcover_test_poison()`
      )
      try {
        // Another order's opt-out failed once and is due again: only the job sends it now.
        standIn.script("due-1", { status: 503 })
        await placeOrder(["due-1"])
        await eventually(async () =>
          expect((await offerRow("due-1")).status).toBe("retrying")
        )
        await sql(
          "UPDATE xcover_offer SET next_attempt_at = now() WHERE offer_id = 'due-1'"
        )
        const error = jest.spyOn(logger(), "error")

        const run = await runJob()
        await eventually(async () =>
          expect((await offerRow("due-1")).status).toBe("opted_out")
        )
        expect(run.recovery).toMatchObject({
          skipped: false,
          decided: [],
          failed: [poisoned.orderId],
        })
        expect(error).toHaveBeenCalledWith(
          expect.stringContaining(`recovering order ${poisoned.orderId} failed`)
        )
        expect((await offerRow("poisoned-1")).status).toBe("shown")
      } finally {
        await sql("DROP TRIGGER IF EXISTS xcover_test_poison ON xcover_offer")
        await sql("DROP FUNCTION IF EXISTS xcover_test_poison()")
      }
    })

    it("cuts cart metadata with more than 20 offer ids at 20, with a warning", async () => {
      const warn = jest.spyOn(logger(), "warn")
      const ids = Array.from({ length: 25 }, (_, i) => `meta-${i + 1}`)
      const cartId = await shop.createCart({ xcover_offer_ids: ids })
      await eventually(async () =>
        expect((await shop.listOffers(cartId)).data.xcover_offers).toHaveLength(
          20
        )
      )
      const orderId = await shop.complete(cartId)
      await eventually(() =>
        expect([...standIn.acceptedOfferIds()].sort()).toEqual(
          ids.slice(0, 20).sort()
        )
      )
      expect(warn).toHaveBeenCalledWith(
        `xcover: order ${orderId}: cart.metadata.xcover_offer_ids names 25 offers; the 5 after the first 20 (the limit per cart); skipped`
      )
      expect((await shop.listOffers(cartId)).data.xcover_offers).toHaveLength(
        20
      )
    })

    it("holds the 20-offer cap for an offer known only from a line item", async () => {
      const offers = Array.from({ length: 20 }, (_, i) => `capped-${i + 1}`)
      const { cartId } = await placeOrder(offers, ["capped-bought-21"])
      await eventually(() =>
        expect(standIn.acceptedOfferIds()).toHaveLength(20)
      )
      const recorded = (await shop.listOffers(cartId)).data.xcover_offers.map(
        (o: { offer_id: string }) => o.offer_id
      )
      expect(recorded.sort()).toEqual([...offers].sort())
      expect(standIn.requestsFor("capped-bought-21")).toEqual([])
    })
  },
})
