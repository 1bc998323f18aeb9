import type { MedusaContainer } from "@medusajs/framework/types"
import {
  ContainerRegistrationKeys,
  MedusaError,
} from "@medusajs/framework/utils"
import type { QuotedOffer } from "../../modules/xcover/service"
import {
  COVERED_ITEM_METADATA_KEY,
  COVER_QUOTE_METADATA_KEY,
  LINE_ITEM_METADATA_KEY,
} from "../order-graph"

/** A cart line as quoting and selecting read it. */
export type CartLine = {
  id: string
  title: string
  product_title: string | null
  variant_id: string | null
  variant_sku: string | null
  quantity: number
  unit_price: number
  metadata: Record<string, unknown> | null
}

export type CoverCart = {
  id: string
  currency_code: string
  completed_at: Date | string | null
  /** The shipping address's country, else (when the region was read) the region's. */
  country_code: string | null
  region_id: string | null
  items: CartLine[]
}

const CART_FIELDS = [
  "id",
  "currency_code",
  "completed_at",
  "region_id",
  "shipping_address.country_code",
  "items.id",
  "items.title",
  "items.product_title",
  "items.variant_id",
  "items.variant_sku",
  "items.quantity",
  "items.unit_price",
  "items.metadata",
]

/** The region and its countries live in another module: a second read, made only when asked for. */
const REGION_FIELDS = ["region.countries.iso_2"]

type RegionGraph = { countries?: ({ iso_2?: string | null } | null)[] | null }

type CartGraph = Omit<CoverCart, "country_code" | "items"> & {
  shipping_address?: { country_code?: string | null } | null
  region?: RegionGraph | null
  items?: (CartLine | null)[] | null
}

/**
 * Loads a cart for quoting or selecting; 404 when there is none, 400 once it became an order.
 * `region: false` leaves out the region's countries (another module's read): the quote reads
 * them only when the cart has no shipping country and XCover is to be asked (`regionCountry`).
 */
export async function loadCoverCart(
  container: MedusaContainer,
  cartId: string,
  options: { open?: boolean; region?: boolean } = {}
): Promise<CoverCart> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const fields =
    options.region === false ? CART_FIELDS : [...CART_FIELDS, ...REGION_FIELDS]
  const { data } = await query.graph({
    entity: "cart",
    fields,
    filters: { id: cartId },
  })
  const cart = data[0] as CartGraph | undefined
  if (!cart) {
    throw new MedusaError(
      MedusaError.Types.NOT_FOUND,
      `Cart with id: ${cartId} was not found`
    )
  }
  if (options.open !== false && cart.completed_at) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Cart ${cartId} is already completed`
    )
  }
  return {
    id: cart.id,
    currency_code: cart.currency_code,
    completed_at: cart.completed_at,
    region_id: cart.region_id ?? null,
    // The shipping address's country, else the region's (the first, when it has several).
    country_code:
      cart.shipping_address?.country_code ?? firstCountry(cart.region),
    items: (cart.items ?? [])
      .filter((i): i is CartLine => !!i)
      .map((i) => ({
        ...i,
        quantity: Number(i.quantity),
        unit_price: Number(i.unit_price),
      })),
  }
}

/** The first country of a region (a cart without a shipping country is quoted for it), if any. */
export async function regionCountry(
  container: MedusaContainer,
  regionId: string
): Promise<string | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "region",
    fields: ["countries.iso_2"],
    filters: { id: regionId },
  })
  return firstCountry(data[0] as RegionGraph | undefined)
}

function firstCountry(region: RegionGraph | null | undefined): string | null {
  return region?.countries?.find((c) => c?.iso_2)?.iso_2 ?? null
}

/** Whether a line is one of the plugin's cover lines (no variant, names an offer and a quote). */
export function isCoverLine(line: CartLine): boolean {
  return (
    !line.variant_id &&
    typeof line.metadata?.[LINE_ITEM_METADATA_KEY] === "string" &&
    typeof line.metadata?.[COVER_QUOTE_METADATA_KEY] === "string"
  )
}

/** The cover lines of a cart that protect `lineItemId` or stand for `offerId`. */
export function coverLinesFor(
  cart: CoverCart,
  match: { line_item_id?: string; offer_id?: string }
): CartLine[] {
  return cart.items.filter(
    (line) =>
      isCoverLine(line) &&
      ((match.line_item_id !== undefined &&
        line.metadata?.[COVERED_ITEM_METADATA_KEY] === match.line_item_id) ||
        (match.offer_id !== undefined &&
          line.metadata?.[LINE_ITEM_METADATA_KEY] === match.offer_id))
  )
}

/** What the store API answers for an offer: everything a storefront needs to render XCover's copy. */
export type StoreOfferView = {
  offer_id: string
  line_item_id: string
  currency: string
  quotes: {
    id: string
    product_config_id: string | null
    title: string | null
    description: string | null
    price: { amount: number; formatted: string | null; currency: string }
    pds_url: string | null
  }[]
  content: QuotedOffer["content"]
  /** The quote whose cover line is in the cart, if any. */
  selected_quote_id: string | null
}

export function storeOfferView(
  offer: QuotedOffer,
  cart: CoverCart | null
): StoreOfferView {
  const line = cart
    ? coverLinesFor(cart, { offer_id: offer.offer_id })[0]
    : undefined
  return {
    offer_id: offer.offer_id,
    line_item_id: offer.line_item_id,
    currency: offer.currency,
    quotes: offer.quotes.map((q) => ({
      id: q.id,
      product_config_id: q.product_config_id,
      title: q.title,
      description: q.description,
      price: {
        amount: q.price,
        formatted: q.price_formatted,
        currency: offer.currency,
      },
      pds_url: q.pds_url,
    })),
    content: offer.content,
    selected_quote_id:
      (line?.metadata?.[COVER_QUOTE_METADATA_KEY] as string | undefined) ??
      null,
  }
}
