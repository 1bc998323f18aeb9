import { readdirSync, readFileSync } from "node:fs"
import path from "node:path"
import {
  alreadyCancelled,
  existingBookingId,
  parseBooking,
  parseRefund,
} from "../client/booking"
import { createOfferResult, parseCreatedOffer } from "../client/create-offer"
import {
  describeOutcome,
  resolveReplay,
  responseOutcome,
} from "../client/outcome"
import { isValidXcoverId } from "../xcover-id"

/**
 * Every body XCover answered in the live sandbox captures (integration-tests/xcover-contract)
 * goes through the plugin's own readers, with the result the plugin must draw from it.
 */
type Capture = {
  capture: string
  call:
    "create_offer" | "confirm" | "opt_out" | "cancel" | "confirm_cancellation"
  status: number
  response: unknown
}

const DIR = path.join(
  __dirname,
  "../../../../integration-tests/xcover-contract/captures"
)
const captures = new Map(
  readdirSync(DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => [
      f.replace(/\.json$/, ""),
      JSON.parse(readFileSync(path.join(DIR, f), "utf8")) as Capture,
    ])
)
const read = new Set<string>()

function capture(name: string): Capture {
  const c = captures.get(name)
  if (!c) {
    throw new Error(`no capture ${name}`)
  }
  read.add(name)
  return c
}

/** The answer as the client hands it to its callers. */
function answer(c: Capture) {
  return {
    outcome: responseOutcome(
      c.status,
      c.response === null ? "" : JSON.stringify(c.response)
    ),
    body: c.response,
  }
}

type CapturedOffer = {
  id: string
  currency: string
  products: {
    id: string
    product_config_id: string
    details: {
      pds_url: string
      finance: {
        price: { total_amount: number; total_amount_formatted: string }
      }
    }
  }[]
  content: {
    title: string
    heading: string
    positive_cta: string
    negative_cta: string
    disclaimer: string
    products: { id: string; title: string; description: string }[]
  }
}

describe("Create Offer answers, as captured", () => {
  const offers = [...captures.keys()].filter(
    (n) =>
      captures.get(n)?.call === "create_offer" &&
      captures.get(n)?.status === 200
  )

  it("has the seven markets in five quantities and the other captured offers", () => {
    expect(offers.filter((n) => n.startsWith("market-"))).toHaveLength(35)
    expect(offers).toEqual(
      expect.arrayContaining([
        "extra-fields-test",
        "sku-category-test",
        "err-bad-country",
        "err-bad-currency",
        "offer-for-optout",
      ])
    )
  })

  it.each(offers)(
    "%s: the offer, each quote at XCover's price with its plan, link and copy",
    (name) => {
      const c = capture(name)
      const body = c.response as CapturedOffer
      const result = createOfferResult(answer(c))
      expect(result.kind).toBe("offer")
      const offer = parseCreatedOffer(c.response)
      expect(offer).toEqual({
        offer_id: body.id,
        currency: body.currency,
        quotes: body.products.map((p) => {
          const copy = body.content.products.find((cp) => cp.id === p.id)
          return {
            id: p.id,
            product_config_id: p.product_config_id,
            title: copy?.title ?? null,
            description: copy?.description ?? null,
            price: p.details.finance.price.total_amount,
            price_formatted: p.details.finance.price.total_amount_formatted,
            pds_url: p.details.pds_url,
          }
        }),
        content: expect.objectContaining({
          title: body.content.title,
          heading: body.content.heading,
          positive_cta: body.content.positive_cta,
          negative_cta: body.content.negative_cta,
          disclaimer: body.content.disclaimer,
        }),
      })
      expect(offer?.quotes).toHaveLength(2)
    }
  )

  it("reads the US and German offers to the cent, in their own formatting", () => {
    expect(
      parseCreatedOffer(capture("market-US").response)?.quotes.map((q) => [
        q.title,
        q.price,
        q.price_formatted,
      ])
    ).toEqual([
      ["2 Year Plan", 585.85, "US$585.85"],
      ["3 Year Plan", 532.29, "US$532.29"],
    ])
    expect(parseCreatedOffer(capture("market-DE-qty2").response)).toMatchObject(
      {
        currency: "EUR",
        quotes: [
          { price: 902.38, price_formatted: "€902.38" },
          { price: 857.93, price_formatted: "€857.93" },
        ],
      }
    )
    expect(
      parseCreatedOffer(capture("market-US").response)?.content?.extras
    ).toHaveProperty("Accidental Damage")
  })

  it("reads quote generation failure as no cover, with XCover's reason", () => {
    const c = capture("err-missing-field")
    const { outcome } = answer(c)
    expect(outcome).toMatchObject({
      kind: "rejected",
      status: 422,
      code: "offer_quote_generation_failed",
    })
    expect(outcome.reasons).toEqual([
      "retail_value_base calculation failed. Expression: to_policy_currency(retail_value)",
    ])
    expect(createOfferResult(answer(c))).toEqual({ kind: "no_cover" })
  })

  it("reads a refused request's reasons from `errors`, not the generic message", () => {
    expect(createOfferResult(answer(capture("err-empty-body")))).toEqual({
      kind: "refused",
      reason:
        "422 validation_error: 'customer' is a required property; 'partner' is a required property; 'context' is a required property",
    })
    expect(createOfferResult(answer(capture("err-malformed")))).toEqual({
      kind: "refused",
      reason:
        "400 validation_error: JSON parse error - unexpected end of data: line 1 column 12 (char 11)",
    })
    // Refused credentials are a configuration problem: the shopper is told to try later.
    expect(
      createOfferResult(answer(capture("err-bad-signature")))
    ).toMatchObject({
      kind: "unavailable",
      reason: "403 auth_error: You do not have permission to access this url",
    })
  })
})

describe("Confirm Offer answers, as captured", () => {
  it.each([
    "confirm-first",
    "confirm-stale-2day",
    "idempotency-key-first",
    "app-confirm-offer",
  ])("%s: the policy with its prices and links", (name) => {
    const c = capture(name)
    const body = c.response as Record<string, unknown> & {
      coi: { url: string; pdf: string }
      quotes: { id: string; price: number }[]
    }
    expect(answer(c).outcome.kind).toBe("done")
    expect(parseBooking(c.response)).toEqual({
      booking_id: body.id,
      booking_status: "CONFIRMED",
      currency: body.currency,
      total_price: body.total_price,
      total_premium: body.total_premium ?? null,
      total_tax: body.total_tax ?? null,
      quotes: body.quotes.map((q) =>
        expect.objectContaining({
          id: q.id,
          status: "CONFIRMED",
          price: q.price,
        })
      ),
      coi_url: body.coi.url,
      coi_pdf: body.coi.pdf,
      pds_url: body.pds_url,
      fnol_link: body.fnol_link ?? null,
      cancel_link: body.cancel_link ?? null,
    })
  })

  it("confirm-first: Z9MMW-DTX22-INS at 585.85 USD, the plan named", () => {
    expect(parseBooking(capture("confirm-first").response)).toMatchObject({
      booking_id: "Z9MMW-DTX22-INS",
      total_price: 585.85,
      total_premium: 568.79,
      total_tax: 17.06,
      quotes: [
        { policy_name: "CSE Interview - Retail Product Protection (EU)" },
      ],
    })
  })

  it("idempotency-key-repeat: a 409 replaying the booking is booked, with that booking", () => {
    const c = capture("idempotency-key-repeat")
    const settled = resolveReplay(
      answer(c),
      (body) => parseBooking(body) !== null
    )
    expect(settled.outcome).toMatchObject({ kind: "done", status: 409 })
    expect(parseBooking(settled.body)?.booking_id).toBe("V4MX9-T8VGR-INS")
  })

  it("confirm-repeat: 422 'Booking already exists' names the existing booking", () => {
    const { outcome } = answer(capture("confirm-repeat"))
    expect(outcome).toMatchObject({
      kind: "rejected",
      status: 422,
      type: "validation_error",
    })
    expect(existingBookingId(outcome)).toBe("Z9MMW-DTX22-INS")
    expect(describeOutcome(outcome)).toBe(
      "422 validation_error: Booking already exists for fast_quote_id bfdc0a38-8ac0-42a8-9cd5-d793b36e6988. INS number: Z9MMW-DTX22-INS"
    )
  })

  it("err-invalid-offer-id: 404, refused, nothing booked", () => {
    const { outcome } = answer(capture("err-invalid-offer-id"))
    expect(outcome).toMatchObject({ kind: "rejected", status: 404 })
    expect(existingBookingId(outcome)).toBeNull()
    expect(describeOutcome(outcome)).toBe(
      "404 api_error: Quote package does not exist"
    )
  })
})

describe("Cancel Booking answers, as captured", () => {
  it.each([
    ["cancel-preview", "BhYgC-mbRZe-Y53wL-CCL", 585.85, 398.15],
    ["cancel-twostep-preview", "ZUu7P-WAyL3-OvXkf-CCL", 702.87, 477.68],
  ])(
    "%s: a preview (status CANCELLED notwithstanding) gives the refund and the cancellation to confirm",
    (name, cancellationId, refund, fee) => {
      const c = capture(name)
      expect((c.response as { status: string }).status).toBe("CANCELLED")
      const parsed = parseRefund(c.response)
      expect(parsed).toEqual({
        cancellation_id: cancellationId,
        confirm_before: expect.stringMatching(/^2026-08-15T/),
        currency: "USD",
        total_refund: refund,
        quotes: [
          { id: expect.any(String), refund_value: refund, adjustment_fee: fee },
        ],
      })
      // It travels in the confirm_cancellation path.
      expect(isValidXcoverId(parsed?.cancellation_id)).toBe(true)
    }
  )

  it.each([
    "cancel-twostep-confirm",
    "cancel-confirm-1",
    "cancel-cleanup-2",
    "app-cancel-booking",
  ])(
    "%s: cancelled, with XCover's refund and no cancellation left to confirm",
    (name) => {
      const c = capture(name)
      const body = c.response as { total_refund: number }
      expect(answer(c).outcome.kind).toBe("done")
      expect(parseRefund(c.response)).toMatchObject({
        cancellation_id: null,
        total_refund: body.total_refund,
      })
      expect(parseBooking(c.response)?.booking_status).toBe("CANCELLED")
    }
  )

  it("cancel-repeat: 422 'Status change not allowed ... CANCELLED' is cancelled already", () => {
    const { outcome } = answer(capture("cancel-repeat"))
    expect(alreadyCancelled(outcome)).toBe(true)
    expect(describeOutcome(outcome)).toBe(
      "422 validation_error: Status change not allowed for QuotePackage in status CANCELLED"
    )
  })
})

describe("Opt-out answers, as captured", () => {
  it("opt-out-fresh: 204, opted out", () => {
    expect(answer(capture("opt-out-fresh")).outcome).toMatchObject({
      kind: "done",
      status: 204,
    })
  })
})

afterAll(() => {
  // Every captured body went through a reader above.
  expect([...captures.keys()].filter((n) => !read.has(n))).toEqual([])
})
