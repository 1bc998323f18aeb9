import { isValidXcoverId } from "../xcover-id"
import { record, text } from "./json"
import type { XcoverAnswer } from "./xcover-client"
import { describeOutcome } from "./outcome"

/** One quote of an offer as XCover priced it: what the storefront shows and the cart charges. */
export type OfferQuote = {
  /** The quote id Confirm Offer books. */
  id: string
  /** The plan: the same on every re-quote of the same cover, unlike the quote id. */
  product_config_id: string | null
  title: string | null
  description: string | null
  /** What the shopper pays, insurance tax included, in the offer's currency (major units). */
  price: number
  price_formatted: string | null
  pds_url: string | null
}

/** XCover's display copy for an offer; the storefront renders it as given. */
export type OfferContent = {
  title: string | null
  heading: string | null
  positive_cta: string | null
  negative_cta: string | null
  disclaimer: string | null
  extras: Record<string, string>
}

export type CreatedOffer = {
  offer_id: string
  currency: string
  quotes: OfferQuote[]
  content: OfferContent | null
}

/**
 * What a Create Offer call came to, for the shopper who waits for it:
 * - `offer`: XCover priced the item;
 * - `no_cover`: 422 `offer_quote_generation_failed`, nothing can be offered for this item;
 * - `unavailable`: no answer, 5xx, 423, 429 or refused credentials: try again later;
 * - `refused`: XCover refused the request itself (another 4xx, or an answer we cannot read):
 *   a configuration problem (the `context` the account needs, say), not the shopper's.
 */
export type CreateOfferResult =
  | { kind: "offer"; offer: CreatedOffer }
  | { kind: "no_cover" }
  | { kind: "unavailable"; reason: string; retry_after_ms: number | null }
  | { kind: "refused"; reason: string }

/** A Create Offer body: `customer` and `context` always; the rest as the account's schema wants. */
export type OfferRequest = {
  customer: Record<string, unknown>
  context: Record<string, unknown>
  [field: string]: unknown
}

/** The cart and line a quote is for, as the default request needs them. */
export type OfferRequestInput = {
  cart_id: string
  currency_code: string
  country_code: string
  language: string
  line: {
    quantity: number
    unit_price: number
    sku: string | null
    title: string
  }
  today: Date
}

/**
 * The Create Offer body for one product line (XCover's product-protection schema). Accounts
 * whose schema needs another `context` change it through the `setOfferRequest` hook.
 */
export function defaultOfferRequest(input: OfferRequestInput): OfferRequest {
  return {
    customer: {
      currency: input.currency_code.toUpperCase(),
      language: input.language,
      country: input.country_code.toUpperCase(),
    },
    partner: { transaction_id: input.cart_id },
    context: {
      purchase_date: input.today.toISOString().slice(0, 10),
      product: {
        retail_value: input.line.unit_price,
        quantity: input.line.quantity,
        ...(input.line.sku ? { sku: input.line.sku } : {}),
        title: input.line.title,
      },
    },
  }
}

export function createOfferResult(answer: XcoverAnswer): CreateOfferResult {
  const { outcome, body } = answer
  if (outcome.kind === "done") {
    const offer = parseCreatedOffer(body)
    if (!offer) {
      return {
        kind: "refused",
        reason: "XCover's answer had no offer with priced quotes",
      }
    }
    // An offer without a quote offers nothing to buy: the same as no cover for this item.
    return offer.quotes.length ? { kind: "offer", offer } : { kind: "no_cover" }
  }
  // Captured live (err-missing-field): 422 with `code`, and the reasons in `errors`.
  if (
    outcome.status === 422 &&
    outcome.code === "offer_quote_generation_failed"
  ) {
    return { kind: "no_cover" }
  }
  if (outcome.kind === "retryable" || outcome.kind === "unauthorized") {
    return {
      kind: "unavailable",
      reason: describeOutcome(outcome),
      retry_after_ms: outcome.retryAfterMs,
    }
  }
  return { kind: "refused", reason: describeOutcome(outcome) }
}

/** Reads only the fields the plugin uses; null when the offer or a quote lacks an id or a price. */
export function parseCreatedOffer(body: unknown): CreatedOffer | null {
  const offer = record(body)
  const products = offer?.products
  if (
    !offer ||
    !isValidXcoverId(offer.id) ||
    !Array.isArray(products) ||
    typeof offer.currency !== "string"
  ) {
    return null
  }
  const content = record(offer.content)
  const copy = new Map(
    (Array.isArray(content?.products) ? content.products : []).map(
      (p) => [record(p)?.id, record(p)] as const
    )
  )
  const quotes: OfferQuote[] = []
  for (const product of products.map(record)) {
    const price = record(record(record(product?.details)?.finance)?.price)
    if (
      !product ||
      !isValidXcoverId(product.id) ||
      typeof price?.total_amount !== "number" ||
      !(price.total_amount >= 0)
    ) {
      return null
    }
    const display = copy.get(product.id)
    quotes.push({
      id: product.id,
      product_config_id: text(product.product_config_id),
      title: text(display?.title) ?? text(product.title),
      description: text(display?.description),
      price: price.total_amount,
      price_formatted: text(price.total_amount_formatted),
      pds_url: text(record(product.details)?.pds_url),
    })
  }
  return {
    offer_id: offer.id,
    currency: offer.currency.toUpperCase(),
    quotes,
    content: content
      ? {
          title: text(content.title),
          heading: text(content.heading),
          positive_cta: text(content.positive_cta),
          negative_cta: text(content.negative_cta),
          disclaimer: text(content.disclaimer),
          extras: Object.fromEntries(
            Object.entries(record(content.extras) ?? {}).filter(
              (e): e is [string, string] => typeof e[1] === "string"
            )
          ),
        }
      : null,
  }
}
