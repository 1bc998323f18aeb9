import { offerIdsFromCartMetadata, selectedOfferIds } from "../steps/load-order-offers"

describe("reading offers from a cart and its order", () => {
  it("takes valid ids from cart metadata once each, and names every skipped entry", () => {
    expect(offerIdsFromCartMetadata({ xcover_offer_ids: ["a-1", "a-1", "b_2", "", "x/y", 7, null] })).toEqual({
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
      problems: ["cart.metadata.xcover_offer_ids names 23 offers; the 3 after the first 20 (the limit per cart)"],
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

  it("finds bought offers in line item metadata", () => {
    expect(
      selectedOfferIds([
        { metadata: { xcover_offer_id: "t-1" } },
        { metadata: { xcover_offer_id: "t-1" } },
        { metadata: { xcover_offer_id: "../bad" } },
        { metadata: null },
        null,
      ])
    ).toEqual(["t-1"])
    expect(selectedOfferIds(undefined)).toEqual([])
  })
})
