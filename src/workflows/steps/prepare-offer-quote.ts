import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { XCOVER_MODULE } from "../../modules/xcover"
import { defaultOfferRequest, type OfferRequest } from "../../modules/xcover/client/create-offer"
import { lineFingerprint } from "../../modules/xcover/ledger/quoted-offers"
import type XcoverModuleService from "../../modules/xcover/service"
import { isCoverLine, loadCoverCart, storeOfferView, type CartLine, type StoreOfferView } from "./cart-cover"

export type PreparedQuote = {
  cart_id: string
  line: CartLine
  line_fingerprint: string
  /** The offer already quoted for this line as it is now: answered without asking XCover. */
  reused: StoreOfferView | null
  /** The Create Offer body the plugin would send; the `setOfferRequest` hook may replace it. */
  request: OfferRequest
}

/**
 * Reads the cart and the line to cover, returns the recorded offer when the line has not
 * changed since it was quoted, and otherwise builds the Create Offer request (after checking
 * the cart may record one more offer, so XCover is not asked for an offer we could not keep).
 */
export const prepareOfferQuoteStep = createStep(
  "prepare-xcover-offer-quote",
  async (input: { cart_id: string; line_item_id: string }, { container }) => {
    const cart = await loadCoverCart(container, input.cart_id)
    const line = cart.items.find((i) => i.id === input.line_item_id)
    if (!line) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Line item ${input.line_item_id} is not in cart ${input.cart_id}`)
    }
    if (isCoverLine(line)) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "An XCover cover line cannot be covered itself")
    }
    const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
    const fingerprint = lineFingerprint(line)
    const recorded = await xcover.findReusableQuote({ cart_id: cart.id, line_item_id: line.id, line_fingerprint: fingerprint })
    const base = { cart_id: cart.id, line, line_fingerprint: fingerprint }
    if (recorded) {
      return new StepResponse<PreparedQuote>({ ...base, reused: storeOfferView(recorded, cart), request: { customer: {}, context: {} } })
    }
    if (!cart.country_code) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "XCover needs a country: give the cart a shipping address or a region with a country")
    }
    await xcover.assertRoomForOffer(cart.id)
    const request = defaultOfferRequest({
      cart_id: cart.id,
      currency_code: cart.currency_code,
      country_code: cart.country_code,
      language: xcover.quoteLanguage,
      line: { quantity: line.quantity, unit_price: line.unit_price, sku: line.variant_sku, title: line.product_title ?? line.title },
      today: new Date(),
    })
    return new StepResponse<PreparedQuote>({ ...base, reused: null, request })
  }
)
