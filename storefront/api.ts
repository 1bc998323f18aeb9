/**
 * Plain, typed functions over the plugin's store routes, for any storefront (no React here).
 * Each takes a Medusa JS SDK instance (`new Medusa({ baseUrl, publishableKey })`) or anything with
 * its `client.fetch`, and optional headers (a logged-in customer's, as the Next.js starter passes).
 */

/** The part of `@medusajs/js-sdk`'s `Medusa` these functions use. */
export type XcoverSdk = {
  client: {
    fetch<T>(
      input: string,
      init?: {
        method?: string
        body?: Record<string, unknown>
        headers?: Record<string, string>
      }
    ): Promise<T>
  }
}

/** One plan XCover priced for the line. */
export type XcoverQuote = {
  id: string
  product_config_id: string | null
  title: string | null
  description: string | null
  /** In major units (`4.99`), XCover's insurance tax included; `formatted` is XCover's own rendering. */
  price: { amount: number; formatted: string | null; currency: string }
  /** The plan's product disclosure statement (terms). */
  pds_url: string | null
}

/** XCover's copy for the offer: show it as it comes. */
export type XcoverOfferContent = {
  title: string | null
  heading: string | null
  positive_cta: string | null
  negative_cta: string | null
  disclaimer: string | null
  extras: Record<string, string>
}

/** An offer for one cart line, as `POST /store/carts/:id/xcover-offers/quote` answers it. */
export type XcoverQuotedOffer = {
  offer_id: string
  line_item_id: string
  currency: string
  quotes: XcoverQuote[]
  content: XcoverOfferContent | null
  selected_quote_id: string | null
}

/**
 * What a quote came to. `unavailable`: XCover cannot be asked right now (503), or this cart asked
 * too often (429): show nothing and try again later. Other failures throw.
 */
export type XcoverQuoteResult =
  | { kind: "offer"; offer: XcoverQuotedOffer }
  | { kind: "no_cover" }
  | { kind: "unavailable"; status: 503 | 429 }

/** A cart line, as far as these components read it (Medusa's `StoreCartLineItem` fits). */
export type XcoverCartLine = {
  id: string
  title?: string | null
  subtitle?: string | null
  variant_id?: string | null
  quantity?: number
  unit_price?: number
  total?: number | null
  cart_id?: string
  metadata?: Record<string, unknown> | null
}

/** A cart, as far as these components read it (Medusa's `StoreCart` fits). */
export type XcoverCart = {
  id: string
  currency_code: string
  total?: number | null
  items?: XcoverCartLine[] | null
}

/** A policy, as `GET /store/orders/:id/xcover-policies` answers it. */
export type XcoverPolicy = {
  offer_id: string
  status: "confirmed" | "cancelled" | "processing"
  policy_number: string | null
  policy_status: string | null
  plan: string | null
  price: { amount: number; currency: string | null } | null
  coi_url: string | null
  coi_pdf: string | null
  pds_url: string | null
  claim_url: string | null
}

/** The store calls the components make: bound to an SDK by `xcoverStoreActions`, or your own (server actions). */
export type XcoverStoreActions = {
  quote(cartId: string, lineItemId: string): Promise<XcoverQuoteResult>
  select(cartId: string, offerId: string, quoteId: string): Promise<XcoverCart>
  deselect(cartId: string, offerId: string): Promise<XcoverCart>
  policies(orderId: string): Promise<XcoverPolicy[]>
}

type Headers = Record<string, string>

const cartPath = (cartId: string) =>
  `/store/carts/${encodeURIComponent(cartId)}/xcover-offers`

/** The HTTP status of a failed `client.fetch` (the SDK's `FetchError`), else undefined. */
export function errorStatus(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status
  return typeof status === "number" ? status : undefined
}

/** Asks XCover, through the plugin, for cover for one line of the cart. */
export async function quoteXcoverOffer(
  sdk: XcoverSdk,
  cartId: string,
  lineItemId: string,
  headers?: Headers
): Promise<XcoverQuoteResult> {
  try {
    const { xcover_offer } = await sdk.client.fetch<{
      xcover_offer: XcoverQuotedOffer | null
    }>(`${cartPath(cartId)}/quote`, {
      method: "POST",
      body: { line_item_id: lineItemId },
      headers,
    })
    return xcover_offer
      ? { kind: "offer", offer: xcover_offer }
      : { kind: "no_cover" }
  } catch (err) {
    const status = errorStatus(err)
    if (status === 503 || status === 429) {
      return { kind: "unavailable", status }
    }
    throw err
  }
}

/** Takes one quote of the offer: its cover line joins the cart at XCover's price. Answers the cart. */
export async function selectXcoverQuote(
  sdk: XcoverSdk,
  cartId: string,
  offerId: string,
  quoteId: string,
  headers?: Headers
): Promise<XcoverCart> {
  const { cart } = await sdk.client.fetch<{ cart: XcoverCart }>(
    `${cartPath(cartId)}/${encodeURIComponent(offerId)}/select`,
    {
      method: "POST",
      body: { quote_id: quoteId },
      headers,
    }
  )
  return cart
}

/** Takes the offer's cover line out of the cart (idempotent). Answers the cart. */
export async function deselectXcoverOffer(
  sdk: XcoverSdk,
  cartId: string,
  offerId: string,
  headers?: Headers
): Promise<XcoverCart> {
  const { cart } = await sdk.client.fetch<{ cart: XcoverCart }>(
    `${cartPath(cartId)}/${encodeURIComponent(offerId)}/select`,
    {
      method: "DELETE",
      headers,
    }
  )
  return cart
}

/** The order's policies (one per taken offer; `[]` without cover). */
export async function listXcoverPolicies(
  sdk: XcoverSdk,
  orderId: string,
  headers?: Headers
): Promise<XcoverPolicy[]> {
  const { xcover_policies } = await sdk.client.fetch<{
    xcover_policies: XcoverPolicy[]
  }>(`/store/orders/${encodeURIComponent(orderId)}/xcover-policies`, {
    method: "GET",
    headers,
  })
  return xcover_policies
}

/** The four calls bound to one SDK (and headers), for components that run in the browser. */
export function xcoverStoreActions(
  sdk: XcoverSdk,
  headers?: Headers
): XcoverStoreActions {
  return {
    quote: (cartId, lineItemId) =>
      quoteXcoverOffer(sdk, cartId, lineItemId, headers),
    select: (cartId, offerId, quoteId) =>
      selectXcoverQuote(sdk, cartId, offerId, quoteId, headers),
    deselect: (cartId, offerId) =>
      deselectXcoverOffer(sdk, cartId, offerId, headers),
    policies: (orderId) => listXcoverPolicies(sdk, orderId, headers),
  }
}

/** What a cover line names: the offer, the quote (plan) and the covered line. */
export type XcoverCoverOf = {
  offerId: string
  quoteId: string
  coveredLineId: string | null
}

/**
 * The cover a line is, if it is the plugin's cover line (no variant; metadata naming the offer and
 * quote), else null. Use it to render such a line without product link or quantity picker.
 */
export function xcoverCoverOf(line: XcoverCartLine): XcoverCoverOf | null {
  const meta = line.metadata ?? {}
  const offerId = meta.xcover_offer_id
  const quoteId = meta.xcover_quote_id
  if (
    line.variant_id ||
    typeof offerId !== "string" ||
    typeof quoteId !== "string"
  ) {
    return null
  }
  const covered = meta.xcover_covered_item_id
  return {
    offerId,
    quoteId,
    coveredLineId: typeof covered === "string" ? covered : null,
  }
}

/** True for the plugin's cover lines. */
export function isXcoverCoverLine(line: XcoverCartLine): boolean {
  return xcoverCoverOf(line) !== null
}

/** What the cart's (or order's) cover lines add up to, for a totals row; 0 without cover. */
export function xcoverCoverTotal(
  items: XcoverCartLine[] | null | undefined
): number {
  return (items ?? [])
    .filter(isXcoverCoverLine)
    .reduce(
      (sum, line) =>
        sum + (line.total ?? (line.unit_price ?? 0) * (line.quantity ?? 1)),
      0
    )
}

/** An amount in major units, in the shopper's locale (`€4.99`). */
export function formatXcoverAmount(
  amount: number,
  currency: string,
  locale?: string
): string {
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency: currency.toUpperCase(),
  }).format(amount)
}
