import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createAdminUser } from "../helpers/admin-user"
import { eventually } from "../helpers/eventually"
import { seedStoreOnce } from "../helpers/seed-once"
import { answer, Storefront } from "../helpers/storefront"
import { TEST_CREDENTIALS, useXcoverStandIn } from "../helpers/xcover-env"
import { XcoverClient } from "../../src/modules/xcover/client/xcover-client"
import type XcoverModuleService from "../../src/modules/xcover/service"

jest.setTimeout(120_000)

const standIn = useXcoverStandIn()

medusaIntegrationTestRunner({
  testSuite: (suite) => {
    const { api, getContainer } = suite
    let shop: Storefront
    let publishableKey: string
    const xcover = () => getContainer().resolve<XcoverModuleService>("xcover")
    const offerRow = async (offerId: string) =>
      (await xcover().listXcoverOffers({ offer_id: offerId }))[0]
    const bookingOf = async (orderId: string, offerId: string) =>
      (await xcover().listOrderBookings(orderId)).find(
        (b) => b.offer_id === offerId
      )
    const store = { headers: {} as Record<string, string> }

    const seededStore = seedStoreOnce(suite)
    beforeEach(() => {
      standIn.reset()
      const seeded = seededStore()
      publishableKey = seeded.publishableKey
      store.headers = { "x-publishable-api-key": publishableKey }
      shop = new Storefront(api, seeded)
    })

    /** A cart whose tent line is covered by the plugin's quote (taken) and a second offer (declined). */
    const cartWithCover = async () => {
      const cartId = await shop.createCart()
      const tent = (await shop.cart(cartId)).items[0]
      const offer = (await shop.quote(cartId, tent.id)).data.xcover_offer
      const quote = offer.quotes[0]
      expect(
        (await shop.select(cartId, offer.offer_id, { quote_id: quote.id }))
          .status
      ).toBe(200)
      expect(
        (await shop.recordOffer(cartId, "declined-with-cover")).status
      ).toBe(201)
      return { cartId, offer, quote }
    }

    /** A storefront-created offer known to XCover, taken through a line naming it and its quotes. */
    const storefrontTaken = async (
      offerId: string,
      quoteIds: string[] | null
    ) => {
      const cartId = await shop.createCart()
      await shop.recordOffer(cartId, offerId)
      await shop.takeOffer(cartId, offerId, quoteIds)
      return cartId
    }

    it("books the taken offer exactly once through 503, 429, 423, a hang and a reset, opts out the declined one, and never crosses the two", async () => {
      const confirmed: unknown[] = []
      getContainer()
        .resolve(Modules.EVENT_BUS)
        .subscribe(
          "xcover.booking.confirmed",
          async (event: { data: unknown }) => void confirmed.push(event.data),
          { subscriberId: `test-${Date.now()}` }
        )
      const { cartId, offer, quote } = await cartWithCover()
      standIn.script(
        offer.offer_id,
        { status: 503 },
        { status: 429, headers: { "retry-after": "1" } },
        { status: 423 },
        { hang: true },
        { reset: true }
      )
      const orderId = await shop.complete(cartId)

      const booking = await eventually(
        async () => {
          const b = await bookingOf(orderId, offer.offer_id)
          expect(b?.status).toBe("booked")
          return b!
        },
        { timeoutMs: 30_000 }
      )
      const confirms = standIn.confirmsFor(offer.offer_id)
      expect(confirms.map((r) => r.answer)).toEqual([
        503,
        429,
        423,
        "hang",
        "reset",
        200,
      ])
      expect(new Set(confirms.map((r) => r.idempotencyKey)).size).toBe(1)
      expect(confirms[0].body).toMatchObject({
        quotes: [{ id: quote.id }],
        policyholder: {
          first_name: "Ada",
          last_name: "L",
          country: "DE",
          email: expect.stringContaining("@example.com"),
        },
        partner_transaction_id: orderId,
      })
      const atXcover = standIn.bookingFor(offer.offer_id)!
      expect(booking).toMatchObject({
        booking_id: atXcover.id,
        booking_status: "CONFIRMED",
        currency: "EUR",
        total_price: quote.price.amount,
        charged_amount: quote.price.amount,
        price_mismatch: false,
        coi_url: atXcover.coi.url,
        pds_url: atXcover.pds_url,
        fnol_link: atXcover.fnol_link,
      })
      expect(standIn.bookings.size).toBe(1)
      await eventually(async () =>
        expect((await offerRow("declined-with-cover")).status).toBe("opted_out")
      )
      // Never an opt-out of the taken offer, never a confirm of the declined one.
      expect(
        standIn.requestsFor(offer.offer_id).every((r) => r.route === "confirm")
      ).toBe(true)
      expect(
        standIn
          .requestsFor("declined-with-cover")
          .every((r) => r.route === "opt_out")
      ).toBe(true)
      await eventually(() =>
        expect(confirmed).toEqual([
          expect.objectContaining({
            order_id: orderId,
            offer_id: offer.offer_id,
            booking_id: atXcover.id,
          }),
        ])
      )
      void cartId
    })

    it("records the same booking when XCover booked it but the answer was lost (the retry's 409)", async () => {
      const { cartId, offer } = await cartWithCover()
      standIn.script(offer.offer_id, { bookThen: "reset" })
      const orderId = await shop.complete(cartId)
      const booking = await eventually(async () => {
        const b = await bookingOf(orderId, offer.offer_id)
        expect(b?.status).toBe("booked")
        return b!
      })
      expect(standIn.confirmsFor(offer.offer_id).map((r) => r.answer)).toEqual([
        "reset",
        409,
      ])
      expect(booking.booking_id).toBe(standIn.bookingFor(offer.offer_id)!.id)
      expect(standIn.bookings.size).toBe(1)
    })

    it("answers an order's policies and offers, and a cart's offers, through Query and the plugin's module links", async () => {
      const { cartId, offer } = await cartWithCover()
      const orderId = await shop.complete(cartId)
      await eventually(async () =>
        expect((await bookingOf(orderId, offer.offer_id))?.status).toBe(
          "booked"
        )
      )
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      // One link of the order per call: Medusa's Query answers two read-only links from one entity
      // into one module, asked together, with the first one's records for both (docs/order-lifecycle.md, Module links).
      const { data: withBookings } = await query.graph({
        entity: "order",
        fields: [
          "id",
          "xcover_bookings.offer_id",
          "xcover_bookings.booking_id",
          "xcover_bookings.status",
        ],
        filters: { id: orderId },
      })
      expect(withBookings[0].xcover_bookings).toEqual([
        expect.objectContaining({
          offer_id: offer.offer_id,
          status: "booked",
          booking_id: standIn.bookingFor(offer.offer_id)!.id,
        }),
      ])
      const { data: withOffers } = await query.graph({
        entity: "order",
        fields: ["id", "xcover_offers.offer_id", "xcover_offers.status"],
        filters: { id: orderId },
      })
      const decided = Object.fromEntries(
        withOffers[0].xcover_offers.map(
          (o: { offer_id: string; status: string }) => [o.offer_id, o.status]
        )
      )
      expect(decided).toEqual({
        [offer.offer_id]: "selected",
        "declined-with-cover": expect.stringMatching(
          /^(pending|sending|retrying|opted_out)$/
        ),
      })
      const { data: carts } = await query.graph({
        entity: "cart",
        fields: ["id", "xcover_offers.offer_id"],
        filters: { id: cartId },
      })
      expect(
        carts[0].xcover_offers
          .map((o: { offer_id: string }) => o.offer_id)
          .sort()
      ).toEqual(Object.keys(decided).sort())
      const { data: bookings } = await query.graph({
        entity: "xcover_booking",
        fields: ["offer_id", "order.id", "order.email"],
        filters: { order_id: orderId },
      })
      expect(bookings[0].order).toMatchObject({
        id: orderId,
        email: expect.stringContaining("@example.com"),
      })
    })

    it("reads and keeps a booking that already existed (422 Booking already exists)", async () => {
      standIn.knowOffer("sf-booked-elsewhere", [{ id: "sf-q-1", price: 5 }])
      // Someone confirmed it before, without the plugin's key.
      const settings = {
        ...TEST_CREDENTIALS,
        baseUrl: standIn.baseUrl,
        signatureAlgorithm: "hmac-sha512" as const,
        signedHeaders: "date" as const,
      }
      const other = new XcoverClient({ timeoutMs: 2_000 })
      const first = await other.confirmOffer(
        settings,
        "sf-booked-elsewhere",
        {
          quotes: [{ id: "sf-q-1" }],
          policyholder: {
            first_name: "A",
            last_name: "B",
            email: "a@b.c",
            country: "DE",
          },
        },
        "someone-else"
      )
      await other.close()
      expect(first.outcome.status).toBe(200)

      const cartId = await storefrontTaken("sf-booked-elsewhere", ["sf-q-1"])
      const orderId = await shop.complete(cartId)
      const booking = await eventually(async () => {
        const b = await bookingOf(orderId, "sf-booked-elsewhere")
        expect(b?.status).toBe("booked")
        return b!
      })
      expect(
        standIn.confirmsFor("sf-booked-elsewhere").map((r) => r.answer)
      ).toEqual([200, 422])
      expect(
        standIn.received
          .filter((r) => r.route === "get_booking")
          .map((r) => r.answer)
      ).toEqual([200])
      expect(booking.booking_id).toBe(
        standIn.bookingFor("sf-booked-elsewhere")!.id
      )
    })

    it("shows a 404 booking as failed with XCover's message in the admin API, and books it on retry once XCover knows the offer", async () => {
      const failed: unknown[] = []
      getContainer()
        .resolve(Modules.EVENT_BUS)
        .subscribe(
          "xcover.booking.failed",
          async (event: { data: unknown }) => void failed.push(event.data),
          { subscriberId: `test-failed-${Date.now()}` }
        )
      const cartId = await storefrontTaken("sf-unknown-1", ["sf-q-9"])
      const orderId = await shop.complete(cartId)
      const admin = await createAdminUser(getContainer(), api)
      const listed = await eventually(async () => {
        const { data } = await api.get(
          `/admin/xcover/bookings?order_id=${orderId}`,
          admin
        )
        expect(data.bookings[0]).toMatchObject({
          offer_id: "sf-unknown-1",
          status: "failed",
          last_status: 404,
          last_error: expect.stringContaining("Quote package does not exist"),
        })
        return data
      })
      expect(listed.stats.failed).toBe(1)
      await eventually(() =>
        expect(failed).toEqual([
          expect.objectContaining({
            order_id: orderId,
            offer_id: "sf-unknown-1",
          }),
        ])
      )

      standIn.knowOffer("sf-unknown-1", [{ id: "sf-q-9", price: 5 }])
      const retried = await api.post(
        `/admin/xcover/bookings/${listed.bookings[0].id}/retry`,
        {},
        admin
      )
      expect(retried.data.booking).toMatchObject({
        status: "booked",
        booking_id: standIn.bookingFor("sf-unknown-1")!.id,
      })
      const again = await answer(
        api.post(
          `/admin/xcover/bookings/${listed.bookings[0].id}/retry`,
          {},
          admin
        )
      )
      expect(again.status).toBe(400)
      expect(standIn.bookings.size).toBe(1)
    })

    it("sends what the order has when it lacks a field XCover wants, names the field, and books on retry once the order has it", async () => {
      standIn.requirePhone(true)
      const { cartId, offer } = await cartWithCover()
      const orderId = await shop.complete(cartId)
      const booking = await eventually(async () => {
        const b = await bookingOf(orderId, offer.offer_id)
        expect(b?.status).toBe("failed")
        return b!
      })
      expect(booking.last_error).toContain("policyholder.phone")
      expect(standIn.confirmsFor(offer.offer_id)[0].body).not.toHaveProperty(
        "policyholder.phone"
      )

      // The merchant adds the phone to the order, then retries: the confirm carries it now.
      const admin = await createAdminUser(getContainer(), api)
      await api.post(
        `/admin/orders/${orderId}`,
        { shipping_address: { phone: "+49 30 1234567" } },
        admin
      )
      const retried = await api.post(
        `/admin/xcover/bookings/${booking.id}/retry`,
        {},
        admin
      )
      expect(retried.data.booking).toMatchObject({
        status: "booked",
        booking_id: standIn.bookingFor(offer.offer_id)!.id,
      })
      const confirms = standIn.confirmsFor(offer.offer_id)
      expect(confirms.map((r) => r.answer)).toEqual([422, 200])
      expect(confirms[1].body).toMatchObject({
        policyholder: { phone: "+49 30 1234567", first_name: "Ada" },
      })
      // XCover keeps a key's first answer, the refusal too, and replays it (409) to the same key:
      // the retry after a refusal sends a new key, and books once.
      expect(new Set(confirms.map((r) => r.idempotencyKey)).size).toBe(2)
      expect(standIn.bookings.size).toBe(1)
      const { data } = await api.get(
        `/store/orders/${orderId}/xcover-policies`,
        store
      )
      expect(data.xcover_policies).toEqual([
        expect.objectContaining({
          status: "confirmed",
          policy_number: standIn.bookingFor(offer.offer_id)!.id,
        }),
      ])
    })

    it("never books a failed booking whose order was cancelled: the retry answers 409 and says why", async () => {
      const cartId = await storefrontTaken("sf-cancelled-1", ["sf-q-7"])
      const orderId = await shop.complete(cartId)
      const failed = await eventually(async () => {
        const b = await bookingOf(orderId, "sf-cancelled-1")
        expect(b?.status).toBe("failed")
        return b!
      })
      const admin = await createAdminUser(getContainer(), api)
      await api.post(`/admin/orders/${orderId}/cancel`, {}, admin)
      // XCover would book it now: only the order's cancellation stands in the way.
      standIn.knowOffer("sf-cancelled-1", [{ id: "sf-q-7", price: 5 }])
      const retried = await answer(
        api.post(`/admin/xcover/bookings/${failed.id}/retry`, {}, admin)
      )
      expect(retried.status).toBe(409)
      expect(retried.data.message).toContain("was cancelled")
      expect(
        standIn.confirmsFor("sf-cancelled-1").map((r) => r.answer)
      ).toEqual([404])
      expect(standIn.bookings.size).toBe(0)
      expect(await bookingOf(orderId, "sf-cancelled-1")).toMatchObject({
        status: "failed",
      })
    })

    it("books, and flags, a total that differs from what the order charged", async () => {
      standIn.bookedPriceDelta(1.5)
      const { cartId, offer, quote } = await cartWithCover()
      const orderId = await shop.complete(cartId)
      const booking = await eventually(async () => {
        const b = await bookingOf(orderId, offer.offer_id)
        expect(b?.status).toBe("booked")
        return b!
      })
      expect(booking).toMatchObject({
        price_mismatch: true,
        charged_amount: quote.price.amount,
      })
      expect(booking.total_price).toBeCloseTo(quote.price.amount + 1.5, 2)
    })

    it("answers the order's dispatch with what it settled (the policy's number and price, never its links) instead of calling back", async () => {
      const dispatched = jest.spyOn(xcover(), "dispatchDueBookings")
      try {
        const { cartId, offer, quote } = await cartWithCover()
        const orderId = await shop.complete(cartId)
        await eventually(() =>
          expect(dispatched).toHaveBeenCalledWith({ order_id: orderId })
        )
        const results = await Promise.all(
          dispatched.mock.results.map(
            (r) =>
              r.value as ReturnType<XcoverModuleService["dispatchDueBookings"]>
          )
        )
        const atXcover = standIn.bookingFor(offer.offer_id)!
        expect(results.flatMap((r) => r.settled ?? [])).toEqual([
          {
            kind: "booking",
            status: "booked",
            offer_id: offer.offer_id,
            order_id: orderId,
            booking: {
              booking_id: atXcover.id,
              total_price: quote.price.amount,
              currency: "EUR",
            },
            price_mismatch: false,
            charged_amount: quote.price.amount,
            cancellation_due: false,
          },
        ])
        // The facts go to workflow steps and their callers: XCover's links (security tokens) stay in the ledger.
        expect(JSON.stringify(results)).not.toContain(atXcover.coi.url)
      } finally {
        dispatched.mockRestore()
      }
    })

    it("counts only the cover line as the charge of a plugin-quoted offer, whatever other lines' metadata say", async () => {
      const { cartId, offer, quote } = await cartWithCover()
      await shop.addItem(cartId, 1, {
        xcover_offer_id: offer.offer_id,
        xcover_quote_ids: [quote.id],
      })
      const orderId = await shop.complete(cartId)
      const booking = await eventually(async () => {
        const b = await bookingOf(orderId, offer.offer_id)
        expect(b?.status).toBe("booked")
        return b!
      })
      expect(booking).toMatchObject({
        charged_amount: quote.price.amount,
        price_mismatch: false,
      })
    })

    it("never takes a storefront offer named by a product line that is not insurance: it is opted out, never confirmed", async () => {
      standIn.knowOffer("sf-on-tent", [{ id: "sf-on-tent-q", price: 3.5 }])
      const cartId = await shop.createCart()
      await shop.recordOffer(cartId, "sf-on-tent")
      // The shopper controls a product line's metadata: naming an offer there is not buying it.
      await shop.addItem(cartId, 1, {
        xcover_offer_id: "sf-on-tent",
        xcover_quote_ids: ["sf-on-tent-q"],
      })
      const orderId = await shop.complete(cartId)
      await eventually(async () =>
        expect(
          (await xcover().listXcoverOffers({ offer_id: "sf-on-tent" }))[0]
            .status
        ).toBe("opted_out")
      )
      expect(standIn.confirmsFor("sf-on-tent")).toEqual([])
      expect(await xcover().listOrderBookings(orderId)).toEqual([])
    })

    it("fails at once, saying why (admin, log, event), a storefront offer taken without quote ids", async () => {
      const failed: unknown[] = []
      getContainer()
        .resolve(Modules.EVENT_BUS)
        .subscribe(
          "xcover.booking.failed",
          async (event: { data: unknown }) => void failed.push(event.data),
          { subscriberId: `test-noquote-${Date.now()}` }
        )
      const cartId = await storefrontTaken("sf-no-quotes", null)
      const orderId = await shop.complete(cartId)
      await eventually(async () =>
        expect(await bookingOf(orderId, "sf-no-quotes")).toMatchObject({
          status: "failed",
          attempts: 0,
          last_error: expect.stringContaining("xcover_quote_ids"),
        })
      )
      expect(standIn.confirmsFor("sf-no-quotes")).toHaveLength(0)
      await eventually(() =>
        expect(failed).toEqual([
          expect.objectContaining({
            offer_id: "sf-no-quotes",
            reason: expect.stringContaining("xcover_quote_ids"),
          }),
        ])
      )
    })

    it("gives the order's policies on the store API to that order only", async () => {
      const { cartId, offer } = await cartWithCover()
      const orderId = await shop.complete(cartId)
      await eventually(async () =>
        expect((await bookingOf(orderId, offer.offer_id))?.status).toBe(
          "booked"
        )
      )
      const atXcover = standIn.bookingFor(offer.offer_id)!
      const { data } = await api.get(
        `/store/orders/${orderId}/xcover-policies`,
        store
      )
      expect(data.xcover_policies).toEqual([
        expect.objectContaining({
          offer_id: offer.offer_id,
          status: "confirmed",
          policy_number: atXcover.id,
          coi_url: atXcover.coi.url,
          pds_url: atXcover.pds_url,
          claim_url: atXcover.fnol_link,
        }),
      ])
      const otherOrder = await shop.complete(await shop.createCart())
      const other = await api.get(
        `/store/orders/${otherOrder}/xcover-policies`,
        store
      )
      expect(other.data.xcover_policies).toEqual([])
      expect(JSON.stringify(other.data)).not.toContain(atXcover.id)
      const unknown = await answer(
        api.get(`/store/orders/order_nope/xcover-policies`, store)
      )
      expect(unknown.status).toBe(404)
    })
  },
})
