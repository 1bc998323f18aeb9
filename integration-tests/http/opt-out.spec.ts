import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { eventually } from "../helpers/eventually"
import { seedStoreOnce } from "../helpers/seed-once"
import { Storefront } from "../helpers/storefront"
import { TEST_CREDENTIALS, useXcoverStandIn } from "../helpers/xcover-env"
import type XcoverModuleService from "../../src/modules/xcover/service"

jest.setTimeout(120_000)

const standIn = useXcoverStandIn()

medusaIntegrationTestRunner({
  testSuite: (suite) => {
    const { api, getContainer } = suite
    let shop: Storefront
    const xcover = () => getContainer().resolve<XcoverModuleService>("xcover")
    const ledger = async (cartId: string) =>
      Object.fromEntries(
        (await xcover().listXcoverOffers({ cart_id: cartId })).map((o) => [
          o.offer_id,
          o,
        ])
      )

    /** Places an order with one declined offer and waits for its opt-out: a marker that
     * everything placed before it has been processed too. */
    const marker = async () => {
      const cartId = await shop.createCart()
      const offer = `marker-${Math.random().toString(36).slice(2, 10)}`
      await shop.recordOffer(cartId, offer)
      await shop.complete(cartId)
      await eventually(() =>
        expect(standIn.acceptedOfferIds()).toContain(offer)
      )
      return offer
    }

    const seededStore = seedStoreOnce(suite)
    beforeEach(() => {
      standIn.reset()
      shop = new Storefront(api, seededStore())
    })

    it("opts out exactly the two declined offers, correctly signed, and never the taken one", async () => {
      const cartId = await shop.createCart()
      for (const offer of ["taken-1", "declined-1", "declined-2"]) {
        expect((await shop.recordOffer(cartId, offer)).status).toBe(201)
      }
      await shop.takeOffer(cartId, "taken-1")
      const orderId = await shop.complete(cartId)

      await eventually(async () => {
        const rows = await ledger(cartId)
        expect(rows["declined-1"].status).toBe("opted_out")
        expect(rows["declined-2"].status).toBe("opted_out")
      })
      const rows = await ledger(cartId)
      expect(rows["taken-1"]).toMatchObject({
        status: "selected",
        order_id: orderId,
        attempts: 0,
      })
      expect(rows["declined-1"]).toMatchObject({
        order_id: orderId,
        attempts: 1,
        last_error: null,
      })

      expect(standIn.received.map((r) => r.offerId).sort()).toEqual([
        "declined-1",
        "declined-2",
      ])
      for (const req of standIn.received) {
        expect(req).toMatchObject({
          method: "POST",
          path: `/x/partners/${TEST_CREDENTIALS.partnerCode}/offers/${req.offerId}/opt_out/`,
          algorithm: "hmac-sha512",
          signedHeaders: "date",
          answer: 204,
          reason: null,
        })
        expect(req.idempotencyKey).toContain(req.offerId)
      }

      const listed = await shop.listOffers(cartId)
      expect(
        listed.data.xcover_offers
          .map((o: { offer_id: string; status: string }) => [
            o.offer_id,
            o.status,
          ])
          .sort()
      ).toEqual([
        ["declined-1", "opted_out"],
        ["declined-2", "opted_out"],
        ["taken-1", "selected"],
      ])
    })

    it("honours offers given only through cart metadata, skipping malformed ones", async () => {
      const cartId = await shop.createCart()
      await shop.setMetadata(cartId, {
        xcover_offer_ids: [
          "meta-taken",
          "meta-declined",
          "bad id/..",
          42,
          "meta-declined",
        ],
      })
      await shop.takeOffer(cartId, "meta-taken")
      await shop.complete(cartId)

      await eventually(() =>
        expect(standIn.acceptedOfferIds()).toEqual(["meta-declined"])
      )
      // The ledger is written just after XCover answers.
      await eventually(async () => {
        const rows = await ledger(cartId)
        expect(Object.keys(rows).sort()).toEqual([
          "meta-declined",
          "meta-taken",
        ])
        expect(rows["meta-taken"].status).toBe("selected")
        expect(rows["meta-declined"]).toMatchObject({
          status: "opted_out",
          source: "cart_metadata",
        })
      })
    })

    it("records a taken offer known only from its line item, and never sends it", async () => {
      const cartId = await shop.createCart()
      await shop.recordOffer(cartId, "li-declined")
      await shop.takeOffer(cartId, "li-only")
      await shop.complete(cartId)
      await eventually(() =>
        expect(standIn.acceptedOfferIds()).toEqual(["li-declined"])
      )
      expect((await ledger(cartId))["li-only"]).toMatchObject({
        status: "selected",
        source: "line_item",
        attempts: 0,
      })
      expect(standIn.requestsFor("li-only")).toEqual([])
    })

    it("records metadata offers in the ledger while the cart is open", async () => {
      const cartId = await shop.createCart({ xcover_offer_ids: ["early-1"] })
      await eventually(async () =>
        expect((await ledger(cartId))["early-1"]).toMatchObject({
          status: "shown",
          source: "cart_metadata",
        })
      )
      await shop.setMetadata(cartId, {
        xcover_offer_ids: ["early-1", "early-2", "not valid!"],
      })
      await eventually(async () =>
        expect(Object.keys(await ledger(cartId)).sort()).toEqual([
          "early-1",
          "early-2",
        ])
      )
      expect(standIn.received).toEqual([])
    })

    it("treats an offer given by the route and by metadata as one offer", async () => {
      const cartId = await shop.createCart()
      await shop.recordOffer(cartId, "both-ways")
      await shop.setMetadata(cartId, { xcover_offer_ids: ["both-ways"] })
      await shop.complete(cartId)
      await eventually(() =>
        expect(standIn.acceptedOfferIds()).toEqual(["both-ways"])
      )
      expect(standIn.received).toHaveLength(1)
    })

    it("sends nothing for an order without offers", async () => {
      const cartId = await shop.createCart()
      await shop.complete(cartId)
      const offer = await marker()
      expect(standIn.received.map((r) => r.offerId)).toEqual([offer])
      expect(await xcover().listXcoverOffers({ cart_id: cartId })).toEqual([])
    })

    it("sends nothing for an abandoned cart", async () => {
      const cartId = await shop.createCart()
      await shop.recordOffer(cartId, "abandoned-1")
      const offer = await marker()
      expect(standIn.received.map((r) => r.offerId)).toEqual([offer])
      expect((await ledger(cartId))["abandoned-1"].status).toBe("shown")
    })

    // A 403 is about the credentials, not the offer: delivery.spec.ts covers how offers wait then.
    it("records 404 and 422 as rejected with XCover's reason", async () => {
      standIn.script("gone-1", { status: 404 })
      standIn.script("invalid-2", { status: 422 })
      const cartId = await shop.createCart()
      await shop.recordOffer(cartId, "gone-1")
      await shop.recordOffer(cartId, "invalid-2")
      await shop.complete(cartId)
      await eventually(async () => {
        const rows = await ledger(cartId)
        expect(rows["gone-1"]).toMatchObject({
          status: "rejected",
          last_status: 404,
          last_error: "404 api_error: Quote package does not exist",
        })
        expect(rows["invalid-2"]).toMatchObject({
          status: "rejected",
          last_status: 422,
          last_error: "422 validation_error: Invalid input",
        })
      })
      // Rejections are final: the dispatch job does not send them again.
      await marker()
      expect(standIn.requestsFor("gone-1")).toHaveLength(1)
      expect(standIn.requestsFor("invalid-2")).toHaveLength(1)
    })

    it("sends nothing new when the same cart is completed again or order.placed repeats", async () => {
      const cartId = await shop.createCart()
      await shop.recordOffer(cartId, "once-1")
      const orderId = await shop.complete(cartId)
      await eventually(() =>
        expect(standIn.acceptedOfferIds()).toEqual(["once-1"])
      )

      expect(await shop.completeAgain(cartId)).toBe(orderId)
      await getContainer()
        .resolve(Modules.EVENT_BUS)
        .emit({ name: "order.placed", data: { id: orderId } })
      await marker()
      expect(standIn.requestsFor("once-1")).toHaveLength(1)
    })

    describe("store route", () => {
      it("records offers idempotently and lists them", async () => {
        const cartId = await shop.createCart()
        expect((await shop.recordOffer(cartId, "ABCDE-FGHIJ-INS")).status).toBe(
          201
        )
        const again = await shop.recordOffer(cartId, "ABCDE-FGHIJ-INS")
        expect(again.status).toBe(200)
        expect(again.data.xcover_offer).toMatchObject({
          offer_id: "ABCDE-FGHIJ-INS",
          cart_id: cartId,
          status: "shown",
        })
        const list = await shop.listOffers(cartId)
        expect(list.data.xcover_offers).toHaveLength(1)
      })

      it.each([
        ["a slash", "abc/def"],
        ["a dot-dot path", ".."],
        ["65 characters", "a".repeat(65)],
        ["an empty string", ""],
        ["a number", 12345],
        ["nothing", undefined],
      ])(
        "rejects an offer id that is %s with a 400 naming offer_id",
        async (_, offerId) => {
          const cartId = await shop.createCart()
          const res = await shop
            .recordOffer(cartId, offerId)
            .catch((e) => e.response)
          expect(res.status).toBe(400)
          expect(res.data.message).toContain("offer_id")
          expect((await shop.listOffers(cartId)).data.xcover_offers).toEqual([])
        }
      )

      it("rejects unknown fields", async () => {
        const cartId = await shop.createCart()
        const res = await api
          .post(
            `/store/carts/${cartId}/xcover-offers`,
            { offer_id: "ok-1", price: 3 },
            {
              headers: {
                "x-publishable-api-key": (shop as any).store.publishableKey,
              },
            }
          )
          .catch((e: any) => e.response)
        expect(res.status).toBe(400)
      })

      it("answers 404 for an unknown cart", async () => {
        const res = await shop
          .recordOffer("cart_does_not_exist", "ok-1")
          .catch((e) => e.response)
        expect(res.status).toBe(404)
        const list = await shop
          .listOffers("cart_does_not_exist")
          .catch((e) => e.response)
        expect(list.status).toBe(404)
      })

      it("refuses offers on a completed cart", async () => {
        const cartId = await shop.createCart()
        await shop.complete(cartId)
        const res = await shop
          .recordOffer(cartId, "too-late")
          .catch((e) => e.response)
        expect(res.status).toBe(409)
        expect(
          await xcover().listXcoverOffers({ offer_id: "too-late" })
        ).toEqual([])
      })

      it("accepts at most 20 offers per cart", async () => {
        const cartId = await shop.createCart()
        for (let i = 0; i < 20; i++) {
          expect((await shop.recordOffer(cartId, `limit-${i}`)).status).toBe(
            201
          )
        }
        const res = await shop
          .recordOffer(cartId, "limit-20")
          .catch((e) => e.response)
        expect(res.status).toBe(400)
        expect(res.data.message).toContain("at most 20")
        expect((await shop.listOffers(cartId)).data.xcover_offers).toHaveLength(
          20
        )
      })

      it("refuses an offer id another cart recorded", async () => {
        const a = await shop.createCart()
        const b = await shop.createCart()
        await shop.recordOffer(a, "shared-1")
        const res = await shop
          .recordOffer(b, "shared-1")
          .catch((e) => e.response)
        expect(res.status).toBe(409)
      })
    })
  },
})
