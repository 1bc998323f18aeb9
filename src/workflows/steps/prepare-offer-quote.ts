import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { XCOVER_MODULE } from "../../modules/xcover"
import {
  defaultOfferRequest,
  type OfferRequest,
} from "../../modules/xcover/client/create-offer"
import {
  assertRoomForOffer,
  lineFingerprint,
} from "../../modules/xcover/ledger/quoted-offers"
import type XcoverModuleService from "../../modules/xcover/service"
import {
  isCoverLine,
  loadCoverCart,
  regionCountry,
  storeOfferView,
  type CartLine,
  type StoreOfferView,
} from "./cart-cover"

export type PreparedQuote = {
  cart_id: string
  line: CartLine
  line_fingerprint: string
  /** The offer already quoted for this line as it is now: answered without asking XCover. */
  reused: StoreOfferView | null
  /** The Create Offer body the plugin would send; the `setOfferRequest` hook may replace it. */
  request: OfferRequest
  /** The saved settings' version when the ledger was read: Create Offer reuses settings resolved at it. */
  settings_version: string | null
  /** Set when the cart asked XCover for more quotes in the last minute than it may: XCover is not asked. */
  rate_limited: { retry_after_ms: number } | null
}

/**
 * Reads the cart and the line to cover, returns the recorded offer when the line has not
 * changed since it was quoted, and otherwise builds the Create Offer request (after checking
 * the cart may record one more offer, so XCover is not asked for an offer we could not keep,
 * and counting the call against the cart's limit per minute).
 * Two reads in the usual case: the cart with its lines (Query) and the ledger (one statement,
 * which also counts the call); the region's countries only for a new quote of a cart without a
 * shipping country.
 */
export async function prepareOfferQuote(
  container: MedusaContainer,
  input: { cart_id: string; line_item_id: string }
): Promise<PreparedQuote> {
  const cart = await loadCoverCart(container, input.cart_id, { region: false })
  const line = cart.items.find((i) => i.id === input.line_item_id)
  if (!line) {
    throw new MedusaError(
      MedusaError.Types.NOT_FOUND,
      `Line item ${input.line_item_id} is not in cart ${input.cart_id}`
    )
  }
  if (isCoverLine(line)) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      "An XCover cover line cannot be covered itself"
    )
  }
  const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
  const fingerprint = lineFingerprint(line)
  // Without a shipping country or a region there is no country to quote for: no call to count.
  const state = await xcover.readQuoteState(
    { cart_id: cart.id, line_item_id: line.id, line_fingerprint: fingerprint },
    { may_ask: !!(cart.country_code ?? cart.region_id) }
  )
  const base = {
    cart_id: cart.id,
    line,
    line_fingerprint: fingerprint,
    settings_version: state.settings_version,
    rate_limited: null,
  }
  if (state.reusable) {
    return {
      ...base,
      reused: storeOfferView(state.reusable, cart),
      request: { customer: {}, context: {} },
    }
  }
  const countryCode =
    cart.country_code ??
    (cart.region_id ? await regionCountry(container, cart.region_id) : null)
  if (!countryCode) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      "XCover needs a country: give the cart a shipping address or a region with a country"
    )
  }
  assertRoomForOffer(state.cart_offers)
  const request = defaultOfferRequest({
    cart_id: cart.id,
    currency_code: cart.currency_code,
    country_code: countryCode,
    language: xcover.quoteLanguage,
    line: {
      quantity: line.quantity,
      unit_price: line.unit_price,
      sku: line.variant_sku,
      title: line.product_title ?? line.title,
    },
    today: new Date(),
  })
  const rateLimited =
    state.budget && !state.budget.allowed
      ? { retry_after_ms: state.budget.retry_after_ms }
      : null
  return { ...base, reused: null, request, rate_limited: rateLimited }
}

/**
 * The workflow's first step: `prepared` when the caller (the store route) already prepared the
 * quote in this request, so the cart and the ledger are not read twice.
 */
export const prepareOfferQuoteStep = createStep(
  "prepare-xcover-offer-quote",
  async (
    input: { cart_id: string; line_item_id: string; prepared?: PreparedQuote },
    { container }
  ) =>
    new StepResponse<PreparedQuote>(
      input.prepared ?? (await prepareOfferQuote(container, input))
    )
)
