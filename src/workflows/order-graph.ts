// The order as the plugin reads it (Query's graph) and what it concludes from it: the metadata
// keys a storefront and the cover lines use, the policyholder, the lines that take offers.
import {
  isValidXcoverId,
  MAX_OFFERS_PER_CART,
} from "../modules/xcover/xcover-id"
import { COVER_PRODUCT_TYPE_ID } from "./steps/exempt-cover-from-tax"
import type {
  BookingInput,
  CoverLine,
  OrderOffersInput,
  Policyholder,
} from "../modules/xcover/service"

/** Where storefronts may list offers without calling the store route. */
export const CART_METADATA_KEY = "xcover_offer_ids"
/** Line item metadata key naming the offer the shopper bought with that item. */
export const LINE_ITEM_METADATA_KEY = "xcover_offer_id"
/** On the plugin's cover lines: the quote the shopper selected. */
export const COVER_QUOTE_METADATA_KEY = "xcover_quote_id"
/** On the plugin's cover lines: the cart line item the cover protects. */
export const COVERED_ITEM_METADATA_KEY = "xcover_covered_item_id"

type AddressGraph = {
  first_name?: string | null
  last_name?: string | null
  phone?: string | null
  country_code?: string | null
} | null

export type OrderGraph = {
  id: string
  created_at: Date | string
  /** `canceled` once the order was cancelled. */
  status?: string | null
  email?: string | null
  currency_code?: string | null
  billing_address?: AddressGraph
  shipping_address?: AddressGraph
  customer?: {
    first_name?: string | null
    last_name?: string | null
    email?: string | null
    phone?: string | null
  } | null
  cart?: { id: string; metadata?: Record<string, unknown> | null } | null
  items?:
    | ({
        id?: string
        metadata?: Record<string, unknown> | null
        variant_id?: string | null
        /** `ptyp_xcover_cover` on the plugin's cover lines and on lines of a merchant's cover product. */
        product_type_id?: string | null
        unit_price?: number | string | null
        quantity?: number | string | null
        /** What happened to the line since: returns received (claims and exchanges included). */
        detail?: {
          quantity?: number | string | null
          return_received_quantity?: number | string | null
        } | null
      } | null)[]
    | null
}

/** Line item metadata key (storefront-created offers): the quote ids the shopper bought, to confirm. */
export const QUOTE_IDS_METADATA_KEY = "xcover_quote_ids"

/**
 * Reads the cart metadata's offer ids. A malformed value is skipped (with the reason) rather
 * than failing the order: the storefront wrote it, the shopper already paid. Ids past the
 * per-cart cap are cut, with the reason, as the store route would refuse them.
 */
export function offerIdsFromCartMetadata(
  metadata: Record<string, unknown> | null | undefined
): {
  ids: string[]
  problems: string[]
} {
  const value = metadata?.[CART_METADATA_KEY]
  if (value === undefined || value === null) {
    return { ids: [], problems: [] }
  }
  if (!Array.isArray(value)) {
    return {
      ids: [],
      problems: [`cart.metadata.${CART_METADATA_KEY} is not an array`],
    }
  }
  const ids: string[] = []
  const problems: string[] = []
  value.forEach((item, i) => {
    if (isValidXcoverId(item)) {
      ids.push(item)
    } else {
      problems.push(
        `cart.metadata.${CART_METADATA_KEY}[${i}] is not a valid offer id`
      )
    }
  })
  const unique = [...new Set(ids)]
  if (unique.length > MAX_OFFERS_PER_CART) {
    problems.push(
      `cart.metadata.${CART_METADATA_KEY} names ${unique.length} offers; the ${unique.length - MAX_OFFERS_PER_CART} after the first ${MAX_OFFERS_PER_CART} (the limit per cart)`
    )
  }
  return { ids: unique.slice(0, MAX_OFFERS_PER_CART), problems }
}

type OrderItem = NonNullable<NonNullable<OrderGraph["items"]>[number]>

/**
 * Whether a line may take an offer: only insurance lines, the plugin's cover line or a line of a
 * product of type "XCover cover" (`ptyp_xcover_cover`). Metadata on any other line (a product the
 * shopper controls) never makes an offer taken.
 */
export function isCoverProductLine(
  item: Pick<OrderItem, "product_type_id">
): boolean {
  return item.product_type_id === COVER_PRODUCT_TYPE_ID
}

/** Lines naming an offer, split into the insurance lines that take it and the others, which never do. */
function linesNamingOffers(items: OrderGraph["items"]): {
  taking: OrderItem[]
  ignored: { item: OrderItem; offer_id: string }[]
} {
  const taking: OrderItem[] = []
  const ignored: { item: OrderItem; offer_id: string }[] = []
  for (const item of items ?? []) {
    const offerId = item?.metadata?.[LINE_ITEM_METADATA_KEY]
    if (!item || !isValidXcoverId(offerId)) {
      continue
    }
    if (isCoverProductLine(item)) {
      taking.push(item)
    } else {
      ignored.push({ item, offer_id: offerId })
    }
  }
  return { taking, ignored }
}

/** Offer ids that the order's insurance lines reference: these were bought. */
export function selectedOfferIds(items: OrderGraph["items"]): string[] {
  const ids = linesNamingOffers(items).taking.map((item) =>
    String(item.metadata?.[LINE_ITEM_METADATA_KEY])
  )
  return [...new Set(ids)]
}

/**
 * The plugin's cover lines: no variant (only server code adds such a line), naming an offer
 * and a quote. Whether the price is the quoted one is checked against the ledger.
 */
export function coverLines(items: OrderGraph["items"]): CoverLine[] {
  return (items ?? []).flatMap((item) => {
    const offerId = item?.metadata?.[LINE_ITEM_METADATA_KEY]
    const quoteId = item?.metadata?.[COVER_QUOTE_METADATA_KEY]
    if (
      !item ||
      item.variant_id ||
      !isValidXcoverId(offerId) ||
      !isValidXcoverId(quoteId)
    ) {
      return []
    }
    return [
      {
        offer_id: offerId,
        quote_id: quoteId,
        unit_price: Number(item.unit_price),
      },
    ]
  })
}

/** The fields of an order that recovery reads to tell whether the decision reached it. */
export const ORDER_OFFER_FIELDS = [
  "id",
  "created_at",
  "cart.id",
  "cart.metadata",
  "items.id",
  "items.metadata",
  "items.variant_id",
  "items.unit_price",
  "items.product_type_id",
]

/** What the decision reads: the above, and what booking needs (the policyholder, the charges). */
export const ORDER_DECISION_FIELDS = [
  ...ORDER_OFFER_FIELDS,
  "status",
  "email",
  "currency_code",
  "items.quantity",
  ...["billing_address", "shipping_address"].flatMap((a) =>
    ["first_name", "last_name", "phone", "country_code"].map((f) => `${a}.${f}`)
  ),
  "customer.first_name",
  "customer.last_name",
  "customer.email",
  "customer.phone",
]

/**
 * The policyholder from the order: one address as a whole, the shipping address (the country the
 * quote was asked for) when it names someone, else the billing address; the customer's name and
 * phone only when neither address names anyone (never a first name from one source and a last
 * name from another). The email is the order's, else the customer's. What the order lacks stays
 * out: XCover says if it needs it.
 */
export function policyholderOf(order: OrderGraph): Policyholder {
  const text = (value: string | null | undefined) => value?.trim() || undefined
  const names = (a: AddressGraph | undefined) =>
    !!a && !!(text(a.first_name) || text(a.last_name))
  const address =
    [order.shipping_address, order.billing_address].find(names) ?? null
  const customer = order.customer ?? {}
  const person = address ?? customer
  const fields: Policyholder = {
    first_name: text(person.first_name),
    last_name: text(person.last_name),
    email: text(order.email) ?? text(customer.email),
    phone: text(person.phone),
    country: text(
      (address ?? order.shipping_address ?? order.billing_address)?.country_code
    )?.toUpperCase(),
  }
  return Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== undefined)
  ) as Policyholder
}

/** Per insurance line naming an offer: the quote ids its metadata lists and what the line charged. */
export function bookingLines(
  items: OrderGraph["items"]
): BookingInput["lines"] {
  return linesNamingOffers(items).taking.map((item) => {
    const raw = item.metadata?.[QUOTE_IDS_METADATA_KEY]
    const listed = Array.isArray(raw)
      ? raw
      : typeof raw === "string"
        ? [raw]
        : []
    const quoteIds = listed.filter(isValidXcoverId)
    const cover =
      !item.variant_id &&
      isValidXcoverId(item.metadata?.[COVER_QUOTE_METADATA_KEY])
    return {
      offer_id: String(item.metadata?.[LINE_ITEM_METADATA_KEY]),
      quote_ids: quoteIds.length ? quoteIds : null,
      charged_amount: Number(item.unit_price ?? 0) * Number(item.quantity ?? 1),
      cover,
    }
  })
}

/** An order cancelled in the store: no cover of it is ever booked (and what was booked is cancelled). */
export function isCancelledOrder(order: Pick<OrderGraph, "status">): boolean {
  return order.status === "canceled"
}

/**
 * What the decision needs from a loaded order (null for an order without a cart), and what
 * was wrong with its metadata. An order cancelled before its decision (a delayed or recovered
 * `order.placed`) books nothing: its taken offers stay `selected`, with no booking.
 */
export function orderOffersInput(
  order: OrderGraph,
  options: { booking?: boolean } = {}
): { input: OrderOffersInput | null; problems: string[] } {
  if (!order.cart?.id) {
    return { input: null, problems: [] }
  }
  const fromMetadata = offerIdsFromCartMetadata(order.cart.metadata)
  const ignored = linesNamingOffers(order.items).ignored.map(
    ({ item, offer_id }) =>
      `line ${item.id ?? "?"} names XCover offer ${offer_id} but is not an insurance line (the plugin's cover line, or a product of type "XCover cover"): it does not take the offer`
  )
  return {
    input: {
      order_id: order.id,
      cart_id: order.cart.id,
      placed_at: new Date(order.created_at),
      metadata_offer_ids: fromMetadata.ids,
      selected_offer_ids: selectedOfferIds(order.items),
      cover_lines: coverLines(order.items),
      booking:
        options.booking && !isCancelledOrder(order)
          ? {
              policyholder: policyholderOf(order),
              currency: order.currency_code ?? "",
              lines: bookingLines(order.items),
            }
          : null,
    },
    problems: [...fromMetadata.problems, ...ignored],
  }
}
