import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import Medusa from "@medusajs/js-sdk"
import {
  deselectXcoverOffer,
  isXcoverCoverLine,
  listXcoverPolicies,
  quoteXcoverOffer,
  selectXcoverQuote,
  xcoverCoverOf,
  xcoverCoverTotal,
} from "../../storefront/api"

type Seen = {
  method: string
  url: string
  body: unknown
  key: string | undefined
  auth: string | undefined
}

/**
 * The storefront functions over Medusa's real JS SDK, against a local HTTP server that answers as
 * the plugin's store routes do (the network edge), so status handling and paths are what they
 * would be against a store.
 */
describe("storefront functions over the JS SDK", () => {
  let server: Server
  let sdk: Medusa
  const seen: Seen[] = []
  let next: { status: number; body: unknown } = { status: 200, body: {} }

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = ""
      req.on("data", (c: Buffer) => (raw += c))
      req.on("end", () => {
        seen.push({
          method: req.method ?? "",
          url: req.url ?? "",
          body: raw ? JSON.parse(raw) : null,
          key: req.headers["x-publishable-api-key"] as string | undefined,
          auth: req.headers.authorization,
        })
        res
          .writeHead(next.status, { "content-type": "application/json" })
          .end(JSON.stringify(next.body))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    sdk = new Medusa({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      publishableKey: "pk_unit",
    })
  })
  afterAll(() => new Promise((resolve) => server.close(resolve)))
  beforeEach(() => {
    seen.length = 0
  })

  const offer = {
    offer_id: "o-1",
    line_item_id: "li_1",
    currency: "EUR",
    quotes: [],
    content: null,
    selected_quote_id: null,
  }

  it("quotes a line: the offer, no cover, or unavailable (503, 429); other failures throw", async () => {
    next = { status: 200, body: { xcover_offer: offer } }
    expect(
      await quoteXcoverOffer(sdk, "cart_1", "li_1", {
        authorization: "Bearer t",
      })
    ).toEqual({ kind: "offer", offer })
    expect(seen[0]).toEqual({
      method: "POST",
      url: "/store/carts/cart_1/xcover-offers/quote",
      body: { line_item_id: "li_1" },
      key: "pk_unit",
      auth: "Bearer t",
    })

    next = { status: 200, body: { xcover_offer: null } }
    expect(await quoteXcoverOffer(sdk, "cart_1", "li_1")).toEqual({
      kind: "no_cover",
    })
    next = {
      status: 503,
      body: { type: "xcover_unavailable", message: "XCover cannot be reached" },
    }
    expect(await quoteXcoverOffer(sdk, "cart_1", "li_1")).toEqual({
      kind: "unavailable",
      status: 503,
    })
    next = {
      status: 429,
      body: { type: "too_many_quotes", message: "too many" },
    }
    expect(await quoteXcoverOffer(sdk, "cart_1", "li_1")).toEqual({
      kind: "unavailable",
      status: 429,
    })
    next = {
      status: 502,
      body: {
        type: "xcover_refused",
        message: "XCover refused the quote request",
      },
    }
    await expect(quoteXcoverOffer(sdk, "cart_1", "li_1")).rejects.toMatchObject(
      { status: 502 }
    )
  })

  it("selects and deselects through the offer's select route, answering the cart", async () => {
    const cart = { id: "cart_1", currency_code: "eur", total: 105, items: [] }
    next = { status: 200, body: { cart } }
    expect(await selectXcoverQuote(sdk, "cart_1", "o-1", "q-1")).toEqual(cart)
    expect(await deselectXcoverOffer(sdk, "cart_1", "o-1")).toEqual(cart)
    expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([
      [
        "POST",
        "/store/carts/cart_1/xcover-offers/o-1/select",
        { quote_id: "q-1" },
      ],
      ["DELETE", "/store/carts/cart_1/xcover-offers/o-1/select", null],
    ])
    next = { status: 409, body: { type: "conflict", message: "stale" } }
    await expect(
      selectXcoverQuote(sdk, "cart_1", "o-1", "q-1")
    ).rejects.toMatchObject({ status: 409 })
  })

  it("lists the order's policies", async () => {
    const policy = {
      offer_id: "o-1",
      status: "processing",
      policy_number: null,
    }
    next = { status: 200, body: { xcover_policies: [policy] } }
    expect(await listXcoverPolicies(sdk, "order_1")).toEqual([policy])
    expect(seen[0]).toMatchObject({
      method: "GET",
      url: "/store/orders/order_1/xcover-policies",
    })
  })
})

describe("the cover line", () => {
  const cover = {
    id: "li_c",
    variant_id: null,
    unit_price: 4.99,
    quantity: 1,
    total: 4.99,
    metadata: {
      xcover_offer_id: "o-1",
      xcover_quote_id: "q-1",
      xcover_covered_item_id: "li_1",
    },
  }
  const product = {
    id: "li_1",
    variant_id: "variant_1",
    unit_price: 100,
    quantity: 1,
    total: 100,
    metadata: { xcover_offer_id: "o-1", xcover_quote_id: "q-1" },
  }

  it("is the line without a variant naming offer and quote; a product line's metadata never makes one", () => {
    expect(xcoverCoverOf(cover)).toEqual({
      offerId: "o-1",
      quoteId: "q-1",
      coveredLineId: "li_1",
    })
    expect(isXcoverCoverLine(product)).toBe(false)
    expect(
      isXcoverCoverLine({
        id: "li_x",
        variant_id: null,
        metadata: { xcover_offer_id: "o-1" },
      })
    ).toBe(false)
    expect(
      xcoverCoverTotal([product, cover, { ...cover, id: "li_d", total: 9 }])
    ).toBeCloseTo(13.99, 2)
    expect(xcoverCoverTotal(undefined)).toBe(0)
  })
})
