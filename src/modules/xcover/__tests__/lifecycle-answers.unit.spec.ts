import {
  alreadyCancelled,
  existingBookingId,
  parseBooking,
  parseRefund,
} from "../client/booking"
import { createOfferResult, defaultOfferRequest } from "../client/create-offer"
import { responseOutcome } from "../client/outcome"
import { eventDigest } from "../ledger/booking-events"
import { lineFingerprint } from "../ledger/quoted-offers"

const answer = (status: number, body: unknown) => ({
  outcome: responseOutcome(status, JSON.stringify(body)),
  body,
})

describe("Create Offer answers", () => {
  const offer = {
    id: "2f1c0d7e-0000-4000-8000-000000000001",
    currency: "eur",
    products: [
      {
        id: "q-1",
        product_config_id: "pc-1",
        details: {
          pds_url: "https://x/pds",
          finance: {
            price: { total_amount: 4.5, total_amount_formatted: "€4.50" },
          },
        },
      },
    ],
    content: {
      heading: "Protect it",
      extras: { a: "b", n: 1 },
      products: [{ id: "q-1", title: "Plan", description: "Desc" }],
    },
  }

  it("reads an offer with its quotes and copy, and upper-cases the currency", () => {
    const result = createOfferResult(answer(200, offer))
    expect(result).toEqual({
      kind: "offer",
      offer: {
        offer_id: offer.id,
        currency: "EUR",
        quotes: [
          {
            id: "q-1",
            product_config_id: "pc-1",
            title: "Plan",
            description: "Desc",
            price: 4.5,
            price_formatted: "€4.50",
            pds_url: "https://x/pds",
          },
        ],
        content: {
          title: null,
          heading: "Protect it",
          positive_cta: null,
          negative_cta: null,
          disclaimer: null,
          extras: { a: "b" },
        },
      },
    })
  })

  it("reads 422 offer_quote_generation_failed and an offer without quotes as no cover", () => {
    expect(
      createOfferResult(
        answer(422, {
          type: "validation_error",
          message: "x",
          code: "offer_quote_generation_failed",
        })
      )
    ).toEqual({ kind: "no_cover" })
    expect(createOfferResult(answer(200, { ...offer, products: [] }))).toEqual({
      kind: "no_cover",
    })
  })

  it("tells XCover being unavailable from XCover refusing the request, and refuses an unreadable answer", () => {
    expect(createOfferResult(answer(503, {}))).toMatchObject({
      kind: "unavailable",
    })
    expect(
      createOfferResult(answer(403, { type: "auth_error", message: "no" }))
    ).toMatchObject({ kind: "unavailable" })
    expect(
      createOfferResult(
        answer(422, {
          type: "validation_error",
          message: "context.product: required",
        })
      )
    ).toMatchObject({
      kind: "refused",
      reason: expect.stringContaining("context.product"),
    })
    expect(
      createOfferResult(answer(200, { ...offer, products: [{ id: "q-1" }] }))
    ).toMatchObject({ kind: "refused" })
    expect(
      createOfferResult(answer(200, { ...offer, id: "../../etc" }))
    ).toMatchObject({ kind: "refused" })
  })

  it("builds the default request from the cart and line", () => {
    const body = defaultOfferRequest({
      cart_id: "cart_1",
      currency_code: "eur",
      country_code: "de",
      language: "en",
      line: { quantity: 2, unit_price: 100, sku: null, title: "Tent" },
      today: new Date("2026-11-26T23:59:59Z"),
    })
    expect(body).toEqual({
      customer: { currency: "EUR", language: "en", country: "DE" },
      partner: { transaction_id: "cart_1" },
      context: {
        purchase_date: "2026-11-26",
        product: { retail_value: 100, quantity: 2, title: "Tent" },
      },
    })
  })

  it("fingerprints a line by quantity and unit price", () => {
    expect(lineFingerprint({ quantity: 2, unit_price: 10.5 })).toBe("2x10.5")
    expect(lineFingerprint({ quantity: 2, unit_price: 10.5 })).not.toBe(
      lineFingerprint({ quantity: 3, unit_price: 10.5 })
    )
  })
})

describe("booking and cancellation answers", () => {
  it("finds the booking id in 422 Booking already exists (a reason in `errors`), and nothing in other 422s", () => {
    const exists = {
      type: "validation_error",
      message: "An API error occurred.",
      errors: [
        "Booking already exists for fast_quote_id abc. INS number: ABCDE-FGHIJ-INS",
      ],
    }
    expect(existingBookingId(answer(422, exists).outcome)).toBe(
      "ABCDE-FGHIJ-INS"
    )
    // A 409 replaying that refusal (the key's first answer) names the booking all the same.
    expect(existingBookingId(answer(409, exists).outcome)).toBe(
      "ABCDE-FGHIJ-INS"
    )
    expect(
      existingBookingId(
        answer(422, {
          type: "validation_error",
          message: "An API error occurred.",
          errors: { "policyholder.phone": ["required"] },
        }).outcome
      )
    ).toBeNull()
    expect(
      existingBookingId(
        answer(404, {
          type: "api_error",
          message: "Booking already exists INS number: X",
        }).outcome
      )
    ).toBeNull()
  })

  it("reads a booking's numbers and links, numbers given as strings too", () => {
    const booking = parseBooking({
      id: "B-1-INS",
      status: "CONFIRMED",
      currency: "EUR",
      total_price: "5.50",
      coi: { url: "u", pdf: "p" },
      quotes: [{ id: "q", price: 5.5, policy: { policy_name: "Plan" } }],
    })
    expect(booking).toMatchObject({
      booking_id: "B-1-INS",
      total_price: 5.5,
      coi_url: "u",
      coi_pdf: "p",
      quotes: [{ id: "q", price: 5.5, policy_name: "Plan", status: null }],
    })
    expect(parseBooking({ status: "CONFIRMED" })).toBeNull()
  })

  it("reads a refund and recognises an already cancelled booking", () => {
    expect(
      parseRefund({
        cancellation_id: "c1",
        total_refund: 4,
        quotes: [{ id: "q", refund_value: 4, adjustment_fee: 1 }],
      })
    ).toMatchObject({
      cancellation_id: "c1",
      total_refund: 4,
      quotes: [{ id: "q", refund_value: 4, adjustment_fee: 1 }],
    })
    const refused = (errors: unknown) =>
      answer(422, {
        type: "validation_error",
        message: "An API error occurred.",
        errors,
      }).outcome
    expect(
      alreadyCancelled(
        refused([
          "Status change not allowed for QuotePackage in status CANCELLED",
        ])
      )
    ).toBe(true)
    expect(alreadyCancelled(refused(["Cancellation has expired"]))).toBe(false)
  })

  it("gives a replayed webhook the same digest whatever its key order", () => {
    expect(
      eventDigest("BOOKING_UPDATED", { a: 1, b: { c: [1, 2], d: "x" } })
    ).toBe(eventDigest("BOOKING_UPDATED", { b: { d: "x", c: [1, 2] }, a: 1 }))
    expect(eventDigest("BOOKING_UPDATED", { a: 1 })).not.toBe(
      eventDigest("BOOKING_CANCELLED", { a: 1 })
    )
  })
})
