// Create Offer (`POST offers/`): quotes the stand-in's plans for the product in the body, at
// `standInQuotePrice`, and keeps the offer for Confirm Offer.
import { randomUUID } from "node:crypto"
import { refused, type Refused, type StandInErrorBody } from "../errors"
import { answer, answerRefused, type Exchange } from "../exchange"
import { STAND_IN_PLANS, standInQuotePrice } from "../plans"
import { isObject, readBodyFields } from "../request-body"
import { playScripted } from "../scripted"
import type { CreatedOffer } from "../types"

type CreateOfferBody = {
  customer: { currency: string; language: string; country: string }
  context: Record<string, unknown> & { product?: unknown }
  partner: Record<string, unknown>
  request?: unknown
}

/**
 * Create Offer, once signature and partner are checked: first the hold of `holdOffers` (no
 * capture: a fault, so that concurrent quotes of one cart are all in flight at once). No
 * idempotency, no per-offer scripts.
 */
export async function handleCreateOffer(
  ex: Exchange,
  raw: string
): Promise<void> {
  const { state } = ex
  if (state.offerHoldMs > 0) {
    await new Promise((resolve) => setTimeout(resolve, state.offerHoldMs))
  }
  // Guess: top-level fields other than these are refused (no capture sends one).
  const read = readBodyFields(ex.req, raw, {
    fields: ["customer", "partner", "context", "request"],
  })
  const checked = read.ok ? checkCreateOfferFields(read.body) : read
  if (!checked.ok) {
    return answerRefused(ex, checked)
  }
  const body = checked.body
  const scripted = playScripted(ex, null)
  if (!scripted) {
    return
  }
  const { headers } = scripted

  const product = isObject(body.context.product) ? body.context.product : {}
  const retailValue = product.retail_value
  const quantity = product.quantity === undefined ? 1 : product.quantity
  if (
    typeof quantity !== "number" ||
    !Number.isInteger(quantity) ||
    quantity < 1
  ) {
    // Guess: no capture of a bad quantity.
    const bad = refused({
      "context.product.quantity": ["Must be a positive integer."],
    })
    return answerRefused(ex, bad, headers)
  }
  const plans = STAND_IN_PLANS.filter(
    (p) => !state.plans || state.plans.includes(p.productConfigId)
  )
  const refusal =
    typeof retailValue !== "number" ||
    !Number.isFinite(retailValue) ||
    retailValue <= 0
      ? // err-missing-field (no retail_value); the same for one that is not a positive number is a guess.
        "retail_value_base calculation failed. Expression: to_policy_currency(retail_value)"
      : typeof product.sku === "string" && state.refusedSkus.has(product.sku)
        ? `No cover available for sku ${product.sku}` // guess: refuseCover's reason
        : plans.length === 0
          ? "No product available for this context" // guess: setPlans([])
          : null
  if (refusal || typeof retailValue !== "number") {
    return answer(
      ex,
      422,
      quoteGenerationFailed(refusal ?? "", plans.length),
      refusal,
      headers
    )
  }

  const { currency, language, country } = body.customer
  const format = currencyFormatter(`${language}-${country}`, currency)
  const quotes = plans.map((plan) => ({
    id: randomUUID(),
    plan,
    price: standInQuotePrice(plan.productConfigId, retailValue, quantity),
  }))
  const offer: CreatedOffer = {
    id: randomUUID(),
    currency,
    body,
    quotes: quotes.map((q) => ({
      id: q.id,
      product_config_id: q.plan.productConfigId,
      price: q.price,
    })),
  }
  state.createdOffers.set(offer.id, offer)
  ex.record.createdOfferId = offer.id
  // The offer as market-* answer it (no `status` fields), `content` whatever the query.
  const offerAnswer = {
    id: offer.id,
    currency,
    products: quotes.map((q) => ({
      id: q.id,
      product_config_id: q.plan.productConfigId,
      details: {
        pds_url: `https://www.xcover.com/en/pds/${q.id}`,
        finance: {
          price: {
            total_amount: q.price,
            total_amount_formatted: format(q.price),
          },
        },
      },
    })),
    content: {
      title: "Protect your purchase",
      heading: "Add product protection",
      positive_cta: "Yes, protect it",
      negative_cta: "No thanks",
      disclaimer:
        "Cover is provided by XCover, a Cover Genius company, under the terms of the PDS.",
      extras: { terms: "See the PDS" },
      products: quotes.map((q) => ({
        id: q.id,
        product_config_id: q.plan.productConfigId,
        title: q.plan.title,
        description: q.plan.description,
      })),
    },
    errors: {},
  }
  return answer(ex, scripted.status, offerAnswer, null, headers)
}

/**
 * Create Offer's body as XCover's schema checks it: `customer`, `partner` and `context` are
 * required objects, each one missing named in `non_field_errors` (err-empty-body; `partner: {}`
 * is fine: market-*). Not checked: the country and currency values (err-bad-country `XX` and
 * err-bad-currency `JPY` were quoted), nor what `context` holds beyond the product's price and
 * quantity (`sku`, `category`: sku-category-test). Guess: `customer`'s currency, language and
 * country must be strings, refused with messages of the same form.
 */
function checkCreateOfferFields(
  body: Record<string, unknown>
): { ok: true; body: CreateOfferBody } | Refused {
  const problems: string[] = []
  const check = (
    holder: Record<string, unknown>,
    field: string,
    type: "object" | "string"
  ) => {
    const v = holder[field]
    if (v === undefined) {
      problems.push(`'${field}' is a required property`)
    } else if (type === "object" ? !isObject(v) : typeof v !== "string") {
      problems.push(`${JSON.stringify(v)} is not of type '${type}'`)
    }
  }
  for (const field of ["customer", "partner", "context"]) {
    check(body, field, "object")
  }
  if (isObject(body.customer)) {
    for (const field of ["currency", "language", "country"]) {
      check(body.customer, field, "string")
    }
  }
  return problems.length
    ? refused({ non_field_errors: problems })
    : { ok: true, body: body as CreateOfferBody }
}

/**
 * Create Offer's refusal when no quote can be priced (err-missing-field): 422 with
 * `code: offer_quote_generation_failed`, an `error_id`, and in `errors` one `{ message, type }`
 * per quote it tried (by index) beside `metadata`.
 */
function quoteGenerationFailed(
  reason: string,
  quotes: number
): StandInErrorBody {
  const errors: Record<string, unknown> = {}
  for (let i = 0; i < Math.max(1, quotes); i++) {
    errors[String(i)] = { message: reason, type: "quote_creation_failure" }
  }
  errors.metadata = { selected_offer_id: randomUUID() }
  return {
    type: "validation_error",
    message: "Offer could not be created due to quote generation errors",
    error_id: randomUUID(),
    code: "offer_quote_generation_failed",
    errors,
  }
}

/** `Intl` currency formatting for the customer's locale, `en-US` when that locale is not valid. */
function currencyFormatter(
  locale: string,
  currency: string
): (amount: number) => string {
  for (const l of [locale, "en-US"]) {
    try {
      const f = new Intl.NumberFormat(l, { style: "currency", currency })
      return (amount) => f.format(amount)
    } catch {
      // try the next one
    }
  }
  return (amount) => `${currency} ${amount.toFixed(2)}`
}
