import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { createAdminUser } from "../helpers/admin-user"
import { eventually } from "../helpers/eventually"
import { seedStoreOnce } from "../helpers/seed-once"
import type { SeededStore } from "../helpers/seed-store"
import { answer, Storefront } from "../helpers/storefront"
import { useXcoverStandIn } from "../helpers/xcover-env"
import runXcoverOutboxJob from "../../src/jobs/xcover-outbox"
import { decideXcoverOrderOffersWorkflow } from "../../src/workflows/decide-xcover-order-offers"
import type XcoverModuleService from "../../src/modules/xcover/service"

jest.setTimeout(120_000)

// A store that reviews storefront offers before they are booked.
const standIn = useXcoverStandIn({
  XCOVER_STOREFRONT_OFFER_BOOKING: "hold_for_review",
})

medusaIntegrationTestRunner({
  testSuite: (suite) => {
    const { api, getContainer } = suite
    let shop: Storefront
    let seeded: SeededStore
    const xcover = () => getContainer().resolve<XcoverModuleService>("xcover")
    const offerRow = async (offerId: string) =>
      (await xcover().listXcoverOffers({ offer_id: offerId }))[0]
    const bookingOf = async (orderId: string, offerId: string) =>
      (await xcover().listOrderBookings(orderId)).find(
        (b) => b.offer_id === offerId
      )
    const store = () => ({
      headers: { "x-publishable-api-key": seeded.publishableKey },
    })

    const seededStore = seedStoreOnce(suite)
    beforeEach(() => {
      standIn.reset()
      seeded = seededStore()
      shop = new Storefront(api, seeded)
    })

    /**
     * An order that took a storefront's own offer (known to XCover at 5) through the insurance
     * line, and the plugin's quoted cover of its tent.
     */
    const orderWithBoth = async (storefrontOfferId: string) => {
      standIn.knowOffer(storefrontOfferId, [
        { id: `${storefrontOfferId}-q`, price: 5 },
      ])
      const cartId = await shop.createCart()
      await shop.recordOffer(cartId, storefrontOfferId)
      await shop.takeOffer(cartId, storefrontOfferId, [
        `${storefrontOfferId}-q`,
      ])
      const tent = (await shop.cart(cartId)).items.find(
        (i: { variant_id: string }) => i.variant_id === seeded.variantId
      )
      const quoted = (await shop.quote(cartId, tent.id)).data.xcover_offer
      expect(
        (
          await shop.select(cartId, quoted.offer_id, {
            quote_id: quoted.quotes[0].id,
          })
        ).status
      ).toBe(200)
      const orderId = await shop.complete(cartId)
      // The plugin's cover is priced by its own quote: booked at once.
      await eventually(async () =>
        expect((await bookingOf(orderId, quoted.offer_id))?.status).toBe(
          "booked"
        )
      )
      const held = await eventually(async () => {
        const b = await bookingOf(orderId, storefrontOfferId)
        expect(b?.status).toBe("held")
        return b!
      })
      return { orderId, quotedOfferId: quoted.offer_id, held }
    }

    it("holds a storefront offer's booking for review (announced, nothing sent) and books it when the merchant says so", async () => {
      const heldEvents: unknown[] = []
      getContainer()
        .resolve(Modules.EVENT_BUS)
        .subscribe(
          "xcover.booking.held",
          async (event: { data: unknown }) => void heldEvents.push(event.data),
          { subscriberId: `test-held-${Date.now()}` }
        )
      const { orderId, quotedOfferId, held } =
        await orderWithBoth("sf-review-1")
      expect(standIn.confirmsFor(quotedOfferId)).toHaveLength(1)
      expect(standIn.confirmsFor("sf-review-1")).toHaveLength(0)
      expect(held.last_error).toContain("Held for review")
      await eventually(() =>
        expect(heldEvents).toEqual([
          expect.objectContaining({
            order_id: orderId,
            offer_id: "sf-review-1",
            charged_amount: 5,
          }),
        ])
      )

      const admin = await createAdminUser(getContainer(), api)
      const { data: listed } = await api.get(
        `/admin/xcover/bookings?status=held`,
        admin
      )
      expect(
        listed.bookings.map((b: { offer_id: string }) => b.offer_id)
      ).toEqual(["sf-review-1"])
      expect(listed.stats.held).toBe(1)
      // The shopper sees it on its way, as any booking not yet made.
      const { data: policies } = await api.get(
        `/store/orders/${orderId}/xcover-policies`,
        store()
      )
      expect(
        policies.xcover_policies.find(
          (p: { offer_id: string }) => p.offer_id === "sf-review-1"
        )
      ).toMatchObject({ status: "processing", policy_number: null })

      const booked = await api.post(
        `/admin/xcover/bookings/${held.id}/retry`,
        {},
        admin
      )
      expect(booked.data.booking).toMatchObject({
        status: "booked",
        booking_id: standIn.bookingFor("sf-review-1")!.id,
      })
      expect(standIn.confirmsFor("sf-review-1").map((r) => r.answer)).toEqual([
        200,
      ])
      const declineAfter = await answer(
        api.post(`/admin/xcover/bookings/${held.id}/decline`, {}, admin)
      )
      expect(declineAfter.status).toBe(400)
      expect(declineAfter.data.message).toContain(
        "Only a booking held for review can be declined"
      )
    })

    it("declines a held booking by hand: no policy, the offer opted out at XCover, the shopper no longer shown it", async () => {
      const declined: unknown[] = []
      getContainer()
        .resolve(Modules.EVENT_BUS)
        .subscribe(
          "xcover.booking.declined",
          async (event: { data: unknown }) => void declined.push(event.data),
          { subscriberId: `test-declined-${Date.now()}` }
        )
      const { orderId, held } = await orderWithBoth("sf-review-2")
      const admin = await createAdminUser(getContainer(), api)
      const answered = await api.post(
        `/admin/xcover/bookings/${held.id}/decline`,
        {},
        admin
      )
      expect(answered.data.booking).toMatchObject({
        status: "declined",
        booking_id: null,
      })
      await eventually(async () => {
        await runXcoverOutboxJob(getContainer())
        expect(standIn.acceptedOfferIds()).toContain("sf-review-2")
      })
      expect(standIn.confirmsFor("sf-review-2")).toHaveLength(0)
      await eventually(() =>
        expect(declined).toEqual([
          expect.objectContaining({
            order_id: orderId,
            offer_id: "sf-review-2",
          }),
        ])
      )
      const { data: policies } = await api.get(
        `/store/orders/${orderId}/xcover-policies`,
        store()
      )
      expect(
        policies.xcover_policies.map((p: { offer_id: string }) => p.offer_id)
      ).not.toContain("sf-review-2")
      // Declined is final: it cannot be booked afterwards.
      const bookAfter = await answer(
        api.post(`/admin/xcover/bookings/${held.id}/retry`, {}, admin)
      )
      expect(bookAfter.status).toBe(400)
      expect(standIn.confirmsFor("sf-review-2")).toHaveLength(0)
    })

    it("declines a held booking whose order was cancelled, opting its offer out, and cancels the booked cover", async () => {
      const { orderId, quotedOfferId } = await orderWithBoth("sf-review-3")
      const admin = await createAdminUser(getContainer(), api)
      await api.post(`/admin/orders/${orderId}/cancel`, {}, admin)
      await eventually(async () =>
        expect((await bookingOf(orderId, "sf-review-3"))?.status).toBe(
          "declined"
        )
      )
      // The decision again, as a repeated order.placed or the recovery would run it: the line
      // still names the offer, yet a declined booking's offer stays declined.
      await decideXcoverOrderOffersWorkflow(getContainer()).run({
        input: { order_id: orderId },
      })
      expect((await offerRow("sf-review-3")).status).not.toBe("selected")
      await eventually(async () => {
        await runXcoverOutboxJob(getContainer())
        expect((await bookingOf(orderId, "sf-review-3"))?.status).toBe(
          "declined"
        )
        expect(standIn.acceptedOfferIds()).toContain("sf-review-3")
        expect((await bookingOf(orderId, quotedOfferId))?.booking_status).toBe(
          "CANCELLED"
        )
      })
      // Never booked, so nothing to cancel at XCover: no confirm, no cancellation.
      expect(standIn.confirmsFor("sf-review-3")).toHaveLength(0)
      expect(standIn.cancellationsFor("sf-review-3")).toHaveLength(0)
      expect((await bookingOf(orderId, "sf-review-3"))?.last_error).toContain(
        "the order was cancelled"
      )
    })
  },
})
