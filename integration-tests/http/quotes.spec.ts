import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { StepResponse } from "@medusajs/framework/workflows-sdk"
import {
  createCustomerGroupsWorkflow,
  createPriceListsWorkflow,
  createPromotionsWorkflow,
  createTaxRegionsWorkflow,
  linkCustomersToCustomerGroupWorkflow,
} from "@medusajs/medusa/core-flows"
import { createAdminUser } from "../helpers/admin-user"
import { eventually } from "../helpers/eventually"
import { seedStoreOnce } from "../helpers/seed-once"
import type { SeededStore } from "../helpers/seed-store"
import { Storefront } from "../helpers/storefront"
import { useXcoverStandIn } from "../helpers/xcover-env"
import { standInQuotePrice } from "../xcover-stand-in/server"
import { quoteXcoverOfferWorkflow } from "../../src/workflows/quote-xcover-offer"
import type XcoverModuleService from "../../src/modules/xcover/service"
import cartCovers from "../../src/subscribers/xcover-cart-covers"
import { Modules } from "@medusajs/framework/utils"

jest.setTimeout(120_000)

const standIn = useXcoverStandIn()

/** What a test store's `setOfferRequest` hook adds to `context`, when a test asks for it. */
let hookAdds: Record<string, unknown> | null = null
quoteXcoverOfferWorkflow.hooks.setOfferRequest(({ request }) => {
  if (!hookAdds) {
    return new StepResponse(undefined)
  }
  return new StepResponse({
    ...request,
    context: { ...request.context, ...hookAdds },
  })
})

const TENT_PRICE = 100
const SHIPPING = 10

medusaIntegrationTestRunner({
  testSuite: (suite) => {
    const { api, getContainer } = suite
    let shop: Storefront
    let seeded: SeededStore
    const xcover = () => getContainer().resolve<XcoverModuleService>("xcover")
    const ledger = async (cartId: string) =>
      Object.fromEntries(
        (await xcover().listXcoverOffers({ cart_id: cartId })).map((o) => [
          o.offer_id,
          o,
        ])
      )
    const createOfferCalls = () =>
      standIn.received.filter((r) => r.route === "create_offer")
    const tentLine = (cart: any) => cart.items.find((i: any) => i.variant_id)
    const coverLines = (cart: any) =>
      cart.items.filter((i: any) => !i.variant_id)

    const seededStore = seedStoreOnce(suite, async (container) => {
      // A store that charges VAT: the cover must not get it on top of XCover's price.
      await createTaxRegionsWorkflow(container).run({
        input: [
          {
            country_code: "de",
            provider_id: "tp_system",
            default_tax_rate: { rate: 19, code: "DE-VAT", name: "VAT" },
          },
        ],
      })
    })
    beforeEach(() => {
      standIn.reset()
      hookAdds = null
      seeded = seededStore()
      shop = new Storefront(api, seeded)
    })

    /** A cart with one tent, its line quoted: returns the cart, the line and the offer. */
    const quotedCart = async () => {
      const cartId = await shop.createCart()
      const line = tentLine(await shop.cart(cartId))
      const quoted = await shop.quote(cartId, line.id)
      expect(quoted.status).toBe(200)
      return { cartId, line, offer: quoted.data.xcover_offer }
    }

    it("quotes, selects and completes: the order holds the cover at XCover's price, untaxed, undiscounted; the rest is opted out", async () => {
      const { cartId, line, offer } = await quotedCart()
      expect(offer).toMatchObject({
        line_item_id: line.id,
        currency: "EUR",
        content: {
          heading: expect.any(String),
          positive_cta: expect.any(String),
          negative_cta: expect.any(String),
          disclaimer: expect.any(String),
        },
      })
      const standard = offer.quotes.find(
        (q: any) => q.product_config_id === "pc-standard"
      )
      expect(standard).toMatchObject({
        title: "Standard Protection",
        description: expect.any(String),
        price: {
          amount: standInQuotePrice("pc-standard", TENT_PRICE, 1),
          formatted: expect.stringContaining("5"),
          currency: "EUR",
        },
        pds_url: expect.stringContaining("https://"),
      })
      // What XCover was asked: the cart's currency and country, the line as context.
      const [call] = createOfferCalls()
      expect(call.body).toMatchObject({
        customer: { currency: "EUR", language: "en", country: "DE" },
        partner: { transaction_id: cartId },
        context: {
          purchase_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
          product: {
            retail_value: TENT_PRICE,
            quantity: 1,
            sku: "TENT-M",
            title: "Tent",
          },
        },
      })

      // A second tent line gets its own offer, which the shopper does not take; a storefront's own offer too.
      await shop.addItem(cartId, 1, { gift: true })
      const second = (await shop.cart(cartId)).items.find(
        (i: any) => i.variant_id && i.id !== line.id
      )
      const otherOffer = (await shop.quote(cartId, second.id)).data.xcover_offer
      expect((await shop.recordOffer(cartId, "storefront-own-1")).status).toBe(
        201
      )

      // An automatic 10 % off everything: it must reach the tents, never the cover.
      await createPromotionsWorkflow(getContainer()).run({
        input: {
          promotionsData: [
            {
              code: "TENTS10",
              type: "standard",
              status: "active",
              is_automatic: true,
              application_method: {
                type: "percentage",
                target_type: "items",
                allocation: "each",
                max_quantity: 10,
                value: 10,
                currency_code: "eur",
              },
            },
          ],
        },
      })
      const selected = await shop.select(cartId, offer.offer_id, {
        quote_id: standard.id,
      })
      expect(selected.status).toBe(200)
      const [cover] = coverLines(selected.data.cart)
      expect(cover).toMatchObject({
        unit_price: standard.price.amount,
        quantity: 1,
        tax_total: 0,
        discount_total: 0,
        requires_shipping: false,
        is_discountable: false,
      })

      const orderId = await shop.complete(cartId)
      const admin = await createAdminUser(getContainer(), api)
      const { data } = await api.get(
        `/admin/orders/${orderId}?fields=total,item_total,shipping_total,tax_total,discount_total,*items`,
        admin
      )
      const order = data.order
      const orderCover = order.items.find((i: any) => !i.variant_id)
      expect(orderCover).toMatchObject({
        unit_price: standard.price.amount,
        total: standard.price.amount,
        tax_total: 0,
        discount_total: 0,
      })
      const tents = order.items.filter((i: any) => i.variant_id)
      // The store does charge VAT on its goods: the cover's 0 is not for want of a tax region.
      expect(
        tents.every((i: any) => i.tax_total > 0 && i.discount_total > 0)
      ).toBe(true)
      const tentsTotal = tents.reduce((sum: number, i: any) => sum + i.total, 0)
      expect(order.total).toBeCloseTo(
        tentsTotal + order.shipping_total + standard.price.amount,
        2
      )
      expect(order.shipping_total).toBeGreaterThanOrEqual(SHIPPING)

      await eventually(async () => {
        const rows = await ledger(cartId)
        expect(rows[otherOffer.offer_id].status).toBe("opted_out")
        expect(rows["storefront-own-1"].status).toBe("opted_out")
      })
      const rows = await ledger(cartId)
      expect(rows[offer.offer_id]).toMatchObject({
        status: "selected",
        order_id: orderId,
        taken_quote_id: standard.id,
      })
      // Taken: booked, never opted out.
      expect(
        standIn.requestsFor(offer.offer_id).filter((r) => r.route === "opt_out")
      ).toHaveLength(0)
    })

    it("asks XCover once for an unchanged line and again once the line changed", async () => {
      const { cartId, line, offer } = await quotedCart()
      const again = await shop.quote(cartId, line.id)
      expect(again.data.xcover_offer.offer_id).toBe(offer.offer_id)
      expect(createOfferCalls()).toHaveLength(1)
      // What the plugin's handler took, apart from Medusa's HTTP stack (benchmark 6 reads it).
      expect(again.headers?.["server-timing"]).toMatch(
        /^xcover-quote;dur=\d+\.\d+$/
      )

      await shop.setQuantity(cartId, line.id, 2)
      const changed = await shop.quote(cartId, line.id)
      expect(changed.data.xcover_offer.offer_id).not.toBe(offer.offer_id)
      expect(
        changed.data.xcover_offer.quotes.find(
          (q: any) => q.product_config_id === "pc-standard"
        ).price.amount
      ).toBe(standInQuotePrice("pc-standard", TENT_PRICE, 2))
      expect(createOfferCalls()).toHaveLength(2)
      // The first offer stays recorded: declined at order time like any other, never selectable again.
      const first = (await ledger(cartId))[offer.offer_id]
      expect(first.status).toBe("shown")
      expect(first.replaced_at).not.toBeNull()
      expect(
        (
          await shop.select(cartId, offer.offer_id, {
            quote_id: offer.quotes[0].id,
          })
        ).status
      ).toBe(409)
    })

    it("refuses stale, foreign and unknown selections and prices in the request, changing nothing; deselect removes the cover", async () => {
      const { cartId, line, offer } = await quotedCart()
      const quoteId = offer.quotes[0].id
      const other = await quotedCart()
      const before = await shop.cart(cartId)

      const unknownQuote = await shop.select(cartId, offer.offer_id, {
        quote_id: "not-a-quote-of-it",
      })
      expect(unknownQuote.status).toBe(400)
      expect(unknownQuote.data.message).toMatch(/not a quote of/)
      const withPrice = await shop.select(cartId, offer.offer_id, {
        quote_id: quoteId,
        unit_price: 0.01,
      })
      expect(withPrice.status).toBe(400)
      const foreign = await shop.select(cartId, other.offer.offer_id, {
        quote_id: other.offer.quotes[0].id,
      })
      expect(foreign.status).toBe(409)
      expect(foreign.data.message).toMatch(/another cart/)
      // An offer XCover priced in another currency than the cart's cannot be bought in it.
      const usdLine = await shop.addItem(cartId, 1, { usd: true })
      const usdLineId = usdLine.data.cart.items.find(
        (i: any) => i.metadata?.usd
      ).id
      standIn.scriptNext({
        status: 200,
        body: {
          id: "usd-offer-1",
          currency: "USD",
          products: [
            {
              id: "usd-quote-1",
              product_config_id: "pc-standard",
              details: { finance: { price: { total_amount: 4.2 } } },
            },
          ],
          content: { title: "Protect it" },
          errors: {},
        },
      })
      const usd = (await shop.quote(cartId, usdLineId)).data.xcover_offer
      expect(usd.currency).toBe("USD")
      const wrongCurrency = await shop.select(cartId, usd.offer_id, {
        quote_id: "usd-quote-1",
      })
      expect(wrongCurrency.status).toBe(409)
      expect(wrongCurrency.data.message).toMatch(/USD.*EUR/)
      await shop.removeItem(cartId, usdLineId)
      const unknownOffer = await shop.select(cartId, "no-such-offer", {
        quote_id: quoteId,
      })
      expect(unknownOffer.status).toBe(404)
      expect((await shop.cart(cartId)).items).toHaveLength(before.items.length)

      await shop.setQuantity(cartId, line.id, 3)
      const stale = await shop.select(cartId, offer.offer_id, {
        quote_id: quoteId,
      })
      expect(stale.status).toBe(409)
      expect(stale.data.message).toMatch(/stale/)
      expect(coverLines(await shop.cart(cartId))).toHaveLength(0)

      const fresh = (await shop.quote(cartId, line.id)).data.xcover_offer
      expect(
        (
          await shop.select(cartId, fresh.offer_id, {
            quote_id: fresh.quotes[0].id,
          })
        ).status
      ).toBe(200)
      expect(coverLines(await shop.cart(cartId))).toHaveLength(1)
      // Selecting the other plan replaces the cover rather than adding a second one.
      const premium = fresh.quotes.find(
        (q: any) => q.product_config_id === "pc-premium"
      )
      const replaced = await shop.select(cartId, fresh.offer_id, {
        quote_id: premium.id,
      })
      expect(coverLines(replaced.data.cart)).toEqual([
        expect.objectContaining({ unit_price: premium.price.amount }),
      ])
      const removed = await shop.deselect(cartId, fresh.offer_id)
      expect(removed.status).toBe(200)
      expect(coverLines(removed.data.cart)).toHaveLength(0)
    })

    it("re-prices the cover when the covered line's quantity changes, removes it when the plan is gone or the line is removed", async () => {
      const { cartId, line, offer } = await quotedCart()
      const standard = offer.quotes.find(
        (q: any) => q.product_config_id === "pc-standard"
      )
      await shop.select(cartId, offer.offer_id, { quote_id: standard.id })

      await shop.setQuantity(cartId, line.id, 2)
      const repriced = await eventually(async () => {
        const [cover] = coverLines(await shop.cart(cartId))
        expect(cover.unit_price).toBe(
          standInQuotePrice("pc-standard", TENT_PRICE, 2)
        )
        return cover
      })
      expect(repriced.metadata.xcover_offer_id).not.toBe(offer.offer_id)
      expect(repriced.metadata.xcover_product_config_id).toBe("pc-standard")
      expect((await ledger(cartId))[offer.offer_id].replaced_at).not.toBeNull()

      standIn.setPlans(["pc-premium"])
      await shop.setQuantity(cartId, line.id, 3)
      await eventually(async () =>
        expect(coverLines(await shop.cart(cartId))).toHaveLength(0)
      )

      standIn.setPlans(["pc-standard", "pc-premium"])
      const fresh = (await shop.quote(cartId, line.id)).data.xcover_offer
      await shop.select(cartId, fresh.offer_id, {
        quote_id: fresh.quotes[0].id,
      })
      await shop.removeItem(cartId, line.id)
      await eventually(async () =>
        expect((await shop.cart(cartId)).items).toHaveLength(0)
      )
    })

    it("re-prices the cover when the covered line's price changes alone: a signed-in customer's group price list takes over the cart", async () => {
      const container = getContainer()
      const {
        result: [group],
      } = await createCustomerGroupsWorkflow(container).run({
        input: { customersData: [{ name: "Members" }] },
      })
      const memberPrice = 80
      await createPriceListsWorkflow(container).run({
        input: {
          price_lists_data: [
            {
              title: "Members",
              description: "Members pay less",
              status: "active",
              rules: { "customer.groups.id": [group.id] },
              prices: [
                {
                  currency_code: "eur",
                  amount: memberPrice,
                  variant_id: seeded.variantId,
                },
              ],
            },
          ],
        },
      })
      const member = await shop.signUpCustomer(
        `member-${Date.now().toString(36)}@example.com`
      )
      await linkCustomersToCustomerGroupWorkflow(container).run({
        input: { id: group.id, add: [member.customerId] },
      })

      const { cartId, offer } = await quotedCart()
      const standard = offer.quotes.find(
        (q: any) => q.product_config_id === "pc-standard"
      )
      await shop.select(cartId, offer.offer_id, { quote_id: standard.id })
      // Medusa's own route: the line is re-priced (same quantity), and only `cart.customer_transferred` is emitted.
      await shop.transferCart(cartId, member.token)
      expect(tentLine(await shop.cart(cartId)).unit_price).toBe(memberPrice)
      const repriced = await eventually(async () => {
        const [cover] = coverLines(await shop.cart(cartId))
        expect(cover.unit_price).toBe(
          standInQuotePrice("pc-standard", memberPrice, 1)
        )
        return cover
      })
      expect(repriced.metadata.xcover_offer_id).not.toBe(offer.offer_id)
      expect(createOfferCalls().at(-1)?.body).toMatchObject({
        context: { product: { retail_value: memberPrice } },
      })
    })

    it("refuses changes to the cover line through Medusa's own line-item route, naming the select route; quantity 0 removes it; the plan paid for is booked", async () => {
      const { cartId, offer } = await quotedCart()
      const standard = offer.quotes.find(
        (q: any) => q.product_config_id === "pc-standard"
      )
      const premium = offer.quotes.find(
        (q: any) => q.product_config_id === "pc-premium"
      )
      const [cover] = coverLines(
        (await shop.select(cartId, offer.offer_id, { quote_id: standard.id }))
          .data.cart
      )
      const line = (update: Record<string, unknown>) =>
        shop.updateLine(cartId, cover.id, update)

      // As a storefront could: the dearer plan named in the metadata, or three of it.
      const dearer = await line({
        quantity: 1,
        metadata: { ...cover.metadata, xcover_quote_id: premium.id },
      })
      expect(dearer.status).toBe(400)
      expect(dearer.data.message).toContain(
        `/store/carts/${cartId}/xcover-offers/${offer.offer_id}/select`
      )
      expect((await line({ quantity: 3 })).status).toBe(400)
      expect(coverLines(await shop.cart(cartId))).toEqual([
        expect.objectContaining({
          id: cover.id,
          quantity: 1,
          unit_price: standard.price.amount,
          metadata: expect.objectContaining({ xcover_quote_id: standard.id }),
        }),
      ])

      // Removing it is deselecting.
      expect((await line({ quantity: 0 })).status).toBe(200)
      expect(coverLines(await shop.cart(cartId))).toEqual([])
      expect(
        (await shop.select(cartId, offer.offer_id, { quote_id: standard.id }))
          .status
      ).toBe(200)
      const orderId = await shop.complete(cartId)
      await eventually(async () =>
        expect((await xcover().listOrderBookings(orderId))[0]?.status).toBe(
          "booked"
        )
      )
      expect((await ledger(cartId))[offer.offer_id]).toMatchObject({
        status: "selected",
        taken_quote_id: standard.id,
      })
      const confirms = standIn
        .confirmsFor(offer.offer_id)
        .map((r) => JSON.stringify(r.body))
      expect(confirms).toHaveLength(1)
      expect(confirms[0]).toContain(standard.id)
      expect(confirms[0]).not.toContain(premium.id)
    })

    it("leaves one cover line, at its quote's price, when two plans are selected at once", async () => {
      const { cartId, offer } = await quotedCart()
      const answers = await Promise.all(
        offer.quotes.map((q: any) =>
          shop.select(cartId, offer.offer_id, { quote_id: q.id })
        )
      )
      expect(answers.map((r) => r.status)).toEqual([200, 200])
      const covers = coverLines(await shop.cart(cartId))
      expect(covers).toHaveLength(1)
      const chosen = offer.quotes.find(
        (q: any) => q.id === covers[0].metadata.xcover_quote_id
      )
      expect(covers[0].unit_price).toBe(chosen.price.amount)
    })

    it("never charges nor books a stale cover: XCover down at the re-quote takes the cover out; a checkout before the repair is refused, then the cover is brought up to date", async () => {
      // XCover cannot be asked again when the covered line changes: the cover leaves the cart.
      const first = await quotedCart()
      await shop.select(first.cartId, first.offer.offer_id, {
        quote_id: first.offer.quotes[0].id,
      })
      standIn.scriptNext({ status: 503 })
      await shop.setQuantity(first.cartId, first.line.id, 3)
      await eventually(async () =>
        expect(coverLines(await shop.cart(first.cartId))).toEqual([])
      )
      const orderId = await shop.complete(first.cartId)
      await eventually(async () =>
        expect((await ledger(first.cartId))[first.offer.offer_id].status).toBe(
          "opted_out"
        )
      )
      expect(await xcover().listOrderBookings(orderId)).toEqual([])
      expect(standIn.confirmsFor(first.offer.offer_id)).toEqual([])

      // The shopper completes at once, before the cart-change subscriber brought the cover in line.
      const { cartId, line, offer } = await quotedCart()
      const standard = offer.quotes.find(
        (q: any) => q.product_config_id === "pc-standard"
      )
      await shop.select(cartId, offer.offer_id, { quote_id: standard.id })
      const bus = getContainer().resolve(Modules.EVENT_BUS)
      const subscriberId = "medusa-plugin-xcover-cart-covers"
      bus.unsubscribe("cart.updated", async () => undefined, { subscriberId })
      let refused: { status: number; data: any } | undefined
      try {
        await shop.setQuantity(cartId, line.id, 2)
        await shop.prepareCompletion(cartId)
        refused = await shop.tryComplete(cartId)
      } finally {
        bus.subscribe(
          "cart.updated",
          (event) =>
            cartCovers({
              event,
              container: getContainer(),
              pluginOptions: {},
            } as never),
          { subscriberId }
        )
      }
      expect(refused?.status).toBe(400)
      expect(refused?.data.message).toMatch(
        /no longer matches the item it covers/
      )
      const [repriced] = await eventually(async () => {
        const covers = coverLines(await shop.cart(cartId))
        expect(covers).toEqual([
          expect.objectContaining({
            unit_price: standInQuotePrice("pc-standard", TENT_PRICE, 2),
          }),
        ])
        return covers
      })
      expect(repriced.metadata.xcover_product_config_id).toBe("pc-standard")
      await shop.prepareCompletion(cartId)
      const placed = await shop.completeAgain(cartId)
      await eventually(async () =>
        expect((await xcover().listOrderBookings(placed))[0]?.status).toBe(
          "booked"
        )
      )
      expect(standIn.confirmsFor(offer.offer_id)).toEqual([])
      expect(
        standIn.confirmsFor(repriced.metadata.xcover_offer_id)
      ).toHaveLength(1)
    })

    it("does not count a plugin-quoted offer as taken because another line's metadata names it", async () => {
      const { cartId, offer } = await quotedCart()
      await shop.takeOffer(cartId, offer.offer_id)
      await shop.complete(cartId)
      await eventually(async () =>
        expect((await ledger(cartId))[offer.offer_id].status).toBe("opted_out")
      )
      expect(standIn.acceptedOfferIds()).toEqual([offer.offer_id])
    })

    it("answers no cover as a 200 without quotes, XCover down or hanging as a 503 within the timeout, the cart untouched", async () => {
      const cartId = await shop.createCart()
      const line = tentLine(await shop.cart(cartId))
      standIn.refuseCover("TENT-M")
      const none = await shop.quote(cartId, line.id)
      expect(none).toMatchObject({ status: 200, data: { xcover_offer: null } })
      standIn.reset()

      standIn.scriptNext({ status: 503 })
      const down = await shop.quote(cartId, line.id)
      expect(down.status).toBe(503)
      expect(down.data.message).toMatch(/XCover cannot be reached/)

      standIn.scriptNext({ hang: true })
      const started = Date.now()
      const hanging = await shop.quote(cartId, line.id)
      expect(hanging.status).toBe(503)
      // XCOVER_TIMEOUT_MS is 1000 in tests: the shopper is not kept waiting for XCover.
      expect(Date.now() - started).toBeLessThan(5_000)

      const cart = await shop.cart(cartId)
      expect(cart.items).toHaveLength(1)
      expect(await ledger(cartId)).toEqual({})
      expect(
        JSON.stringify([none.data, down.data, hanging.data])
      ).not.toContain("sup3r")
    })

    it("records every offer XCover made when two quotes race for a cart's last place, then refuses a third without asking", async () => {
      const cartId = await shop.createCart()
      for (let i = 0; i < 19; i++) {
        expect((await shop.recordOffer(cartId, `cap-${i}`)).status).toBe(201)
      }
      const line = tentLine(await shop.cart(cartId))
      // Both quotes are past the cap's check and at XCover at once: each gets an offer.
      standIn.holdOffers(500)
      const answers = await Promise.all([
        shop.quote(cartId, line.id),
        shop.quote(cartId, line.id),
      ])
      standIn.holdOffers(0)
      expect(answers.map((a) => a.status)).toEqual([200, 200])
      // An offer XCover made and the ledger dropped would never be opted out.
      const made = [...standIn.createdOffers.keys()]
      expect(made).toHaveLength(2)
      const recorded = await ledger(cartId)
      expect(made.every((id) => recorded[id]?.status === "shown")).toBe(true)
      expect(Object.keys(recorded)).toHaveLength(21)

      // The line changed: nothing to reuse, and no room left for a new offer.
      expect((await shop.setQuantity(cartId, line.id, 2)).status).toBe(200)
      const third = await shop.quote(cartId, line.id)
      expect(third.status).toBe(400)
      expect(third.data.message).toContain("at most 20")
      expect(createOfferCalls()).toHaveLength(2)
    })

    it("answers 429 with Retry-After once a cart asked XCover for 10 quotes in a minute, without calling XCover", async () => {
      const cartId = await shop.createCart()
      const line = tentLine(await shop.cart(cartId))
      // XCover down: nothing is recorded, so every quote is a new Create Offer call.
      for (let i = 0; i < 10; i++) {
        standIn.scriptNext({ status: 503 })
        expect((await shop.quote(cartId, line.id)).status).toBe(503)
      }
      const limited = await shop.quote(cartId, line.id)
      expect(limited.status).toBe(429)
      expect(limited.data.message).toMatch(/too many XCover quotes/)
      expect(Number(limited.headers?.["retry-after"])).toBeGreaterThan(0)
      expect(Number(limited.headers?.["retry-after"])).toBeLessThanOrEqual(60)
      expect(createOfferCalls()).toHaveLength(10)
      // Another cart has its own budget.
      const other = await quotedCart()
      expect(other.offer.offer_id).toBeTruthy()
    })

    it("sends the request a store's setOfferRequest hook made", async () => {
      hookAdds = { event_type: "PRODUCT", store_reference: "hook-was-here" }
      await quotedCart()
      expect(createOfferCalls()[0].body).toMatchObject({
        context: {
          event_type: "PRODUCT",
          store_reference: "hook-was-here",
          product: { retail_value: TENT_PRICE },
        },
      })
    })
  },
})
