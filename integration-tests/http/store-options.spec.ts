import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createAdminUser } from "../helpers/admin-user"
import { eventually } from "../helpers/eventually"
import { seedStore } from "../helpers/seed-store"
import { Storefront } from "../helpers/storefront"
import { useXcoverStandIn } from "../helpers/xcover-env"
import type XcoverModuleService from "../../src/modules/xcover/service"

jest.setTimeout(120_000)

// A store configured unlike the defaults (one Medusa boot for both): no XCOVER_ENCRYPTION_KEY,
// and `booking: false` (it confirms taken offers elsewhere).
const standIn = useXcoverStandIn({
  XCOVER_ENCRYPTION_KEY: "",
  XCOVER_BOOKING: "false",
})

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let admin: { headers: Record<string, string> }
    beforeEach(async () => {
      admin = await createAdminUser(getContainer(), api)
    })

    it("refuses to save a secret, saying what to set, and saves nothing of that request", async () => {
      const res = await api
        .post(
          "/admin/xcover/settings",
          { api_secret: "would-be-plaintext", partner_code: "NEWCODE" },
          admin
        )
        .catch((e: any) => e.response)
      expect(res.status).toBe(400)
      expect(res.data.message).toContain("XCOVER_ENCRYPTION_KEY")
      expect(res.data.message).toContain("encryptionKey")
      expect(JSON.stringify(res.data)).not.toContain("would-be-plaintext")
      const { data } = await api.get("/admin/xcover/settings", admin)
      expect(data.settings).toMatchObject({
        encryption_key_set: false,
        partner_code: { source: "plugin_option" },
      })
    })

    it("with booking off, records a taken offer as selected and never confirms it", async () => {
      standIn.reset()
      const shop = new Storefront(api, await seedStore(getContainer()))
      const cartId = await shop.createCart()
      const tent = (await shop.cart(cartId)).items[0]
      const offer = (await shop.quote(cartId, tent.id)).data.xcover_offer
      await shop.select(cartId, offer.offer_id, {
        quote_id: offer.quotes[0].id,
      })
      await shop.recordOffer(cartId, "declined-no-booking")
      const orderId = await shop.complete(cartId)
      const xcover = getContainer().resolve<XcoverModuleService>("xcover")
      // The declined offer's opt-out is the marker that the order's decision and dispatch ran.
      await eventually(() =>
        expect(standIn.acceptedOfferIds()).toEqual(["declined-no-booking"])
      )
      expect(
        (await xcover.listXcoverOffers({ offer_id: offer.offer_id }))[0]
      ).toMatchObject({
        status: "selected",
        taken_quote_id: offer.quotes[0].id,
      })
      expect(await xcover.listOrderBookings(orderId)).toEqual([])
      expect(
        standIn.received.filter((r) => r.route === "confirm")
      ).toHaveLength(0)
    })

    it("still saves everything else", async () => {
      const { data } = await api.post(
        "/admin/xcover/settings",
        { partner_code: "NEWCODE", signature_algorithm: "hmac-sha384" },
        admin
      )
      expect(data.settings.partner_code).toEqual({
        value: "NEWCODE",
        source: "admin",
      })
      expect(data.settings.signature_algorithm).toEqual({
        value: "hmac-sha384",
        source: "admin",
      })
    })
  },
})
