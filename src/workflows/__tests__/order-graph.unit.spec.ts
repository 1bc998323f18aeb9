import {
  bookingLines,
  coverLines,
  offerIdsFromCartMetadata,
  orderOffersInput,
  policyholderOf,
  selectedOfferIds,
} from "../order-graph"

describe("reading offers from a cart and its order", () => {
  it("takes valid ids from cart metadata once each, and names every skipped entry", () => {
    expect(
      offerIdsFromCartMetadata({
        xcover_offer_ids: ["a-1", "a-1", "b_2", "", "x/y", 7, null],
      })
    ).toEqual({
      ids: ["a-1", "b_2"],
      problems: [
        "cart.metadata.xcover_offer_ids[3] is not a valid offer id",
        "cart.metadata.xcover_offer_ids[4] is not a valid offer id",
        "cart.metadata.xcover_offer_ids[5] is not a valid offer id",
        "cart.metadata.xcover_offer_ids[6] is not a valid offer id",
      ],
    })
  })

  it("keeps the first 20 ids of a longer list and says so", () => {
    const ids = Array.from({ length: 23 }, (_, i) => `m-${i}`)
    expect(offerIdsFromCartMetadata({ xcover_offer_ids: ids })).toEqual({
      ids: ids.slice(0, 20),
      problems: [
        "cart.metadata.xcover_offer_ids names 23 offers; the 3 after the first 20 (the limit per cart)",
      ],
    })
  })

  it("reports a value that is not an array instead of guessing", () => {
    expect(offerIdsFromCartMetadata({ xcover_offer_ids: "a-1" })).toEqual({
      ids: [],
      problems: ["cart.metadata.xcover_offer_ids is not an array"],
    })
    expect(offerIdsFromCartMetadata(null)).toEqual({ ids: [], problems: [] })
    expect(offerIdsFromCartMetadata({})).toEqual({ ids: [], problems: [] })
  })

  it("finds bought offers in the metadata of insurance lines, once each", () => {
    const product_type_id = "ptyp_xcover_cover"
    expect(
      selectedOfferIds([
        { product_type_id, metadata: { xcover_offer_id: "t-1" } },
        { product_type_id, metadata: { xcover_offer_id: "t-1" } },
        { product_type_id, metadata: { xcover_offer_id: "../bad" } },
        { metadata: null },
        null,
      ])
    ).toEqual(["t-1"])
    expect(selectedOfferIds(undefined)).toEqual([])
  })

  it("takes the policyholder from one address as a whole: shipping (as the quote), else billing, else the customer; inventing nothing", () => {
    const order = {
      id: "o",
      created_at: new Date(),
      email: " ada@example.com ",
      billing_address: {
        first_name: "Billing",
        last_name: "Payer",
        phone: "+44 20 2",
        country_code: "gb",
      },
      shipping_address: {
        first_name: "Ada",
        last_name: "",
        phone: "+49 30 1",
        country_code: "de",
      },
      customer: {
        first_name: "C",
        last_name: "C",
        phone: "+1",
        email: "c@example.com",
      },
    }
    // Never Ada's first name with the payer's last name.
    expect(policyholderOf(order)).toEqual({
      first_name: "Ada",
      email: "ada@example.com",
      phone: "+49 30 1",
      country: "DE",
    })
    expect(
      policyholderOf({ ...order, shipping_address: { country_code: "de" } })
    ).toEqual({
      first_name: "Billing",
      last_name: "Payer",
      email: "ada@example.com",
      phone: "+44 20 2",
      country: "GB",
    })
    expect(
      policyholderOf({
        ...order,
        email: null,
        shipping_address: null,
        billing_address: null,
      })
    ).toEqual({
      first_name: "C",
      last_name: "C",
      email: "c@example.com",
      phone: "+1",
    })
    expect(
      policyholderOf({
        id: "o",
        created_at: new Date(),
        shipping_address: { first_name: "A", country_code: "fr" },
      })
    ).toEqual({ first_name: "A", country: "FR" })
  })

  it("finds cover lines (no variant, an offer and a quote) and what each insurance line naming an offer charged; other lines never take one", () => {
    const cover = "ptyp_xcover_cover"
    const items = [
      {
        id: "l1",
        variant_id: null,
        product_type_id: cover,
        unit_price: 4.5,
        quantity: 1,
        metadata: { xcover_offer_id: "o-1", xcover_quote_id: "q-1" },
      },
      {
        id: "l2",
        variant_id: "variant_1",
        product_type_id: cover,
        unit_price: 5,
        quantity: 2,
        metadata: { xcover_offer_id: "o-2", xcover_quote_ids: ["q-2", "../x"] },
      },
      {
        id: "l3",
        variant_id: "variant_2",
        product_type_id: null,
        unit_price: 100,
        quantity: 1,
        metadata: { xcover_offer_id: "o-3", xcover_quote_ids: ["q-3"] },
      },
    ]
    expect(coverLines(items)).toEqual([
      { offer_id: "o-1", quote_id: "q-1", unit_price: 4.5 },
    ])
    expect(bookingLines(items)).toEqual([
      { offer_id: "o-1", quote_ids: null, charged_amount: 4.5, cover: true },
      { offer_id: "o-2", quote_ids: ["q-2"], charged_amount: 10, cover: false },
    ])
    expect(selectedOfferIds(items)).toEqual(["o-1", "o-2"])
    const { input, problems } = orderOffersInput({
      id: "order_1",
      created_at: new Date(),
      cart: { id: "cart_1" },
      items,
    })
    expect(input?.selected_offer_ids).toEqual(["o-1", "o-2"])
    expect(problems).toEqual([
      expect.stringContaining(
        "line l3 names XCover offer o-3 but is not an insurance line"
      ),
    ])
  })
})
