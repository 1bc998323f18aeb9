import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { CreateCartCreateLineItemDTO } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { XCOVER_MODULE } from "../../modules/xcover"
import { lineFingerprint } from "../../modules/xcover/ledger/quoted-offers"
import type XcoverModuleService from "../../modules/xcover/service"
import { coverLinesFor, loadCoverCart } from "./cart-cover"
import { COVER_PRODUCT_TYPE_ID } from "./exempt-cover-from-tax"
import {
  COVERED_ITEM_METADATA_KEY,
  COVER_QUOTE_METADATA_KEY,
  LINE_ITEM_METADATA_KEY,
} from "../order-graph"

/** A cover line as the add-to-cart workflow takes it (product_type_id is read, though not typed). */
export type CoverLineInput = CreateCartCreateLineItemDTO & {
  product_type_id: string
}

export type PreparedSelection = {
  cart_id: string
  /** Cover lines to take out first: the covered line's current cover, or this offer's. */
  remove_ids: string[]
  item: CoverLineInput
}

function conflict(message: string): MedusaError {
  return new MedusaError(MedusaError.Types.CONFLICT, message)
}

/**
 * Checks that the offer can be bought in this cart as it is now, and builds its cover line with
 * the price from the ledger (never from the request): quantity 1, no shipping, no promotions,
 * no Medusa tax (see exempt-cover-from-tax).
 */
export const prepareOfferSelectionStep = createStep(
  "prepare-xcover-offer-selection",
  async (
    input: { cart_id: string; offer_id: string; quote_id: string },
    { container }
  ) => {
    const cart = await loadCoverCart(container, input.cart_id)
    const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
    const offer = await xcover.getQuotedOffer(input.offer_id)
    if (!offer) {
      throw new MedusaError(
        MedusaError.Types.NOT_FOUND,
        `XCover offer ${input.offer_id} was not found`
      )
    }
    if (offer.cart_id !== cart.id) {
      throw conflict(`XCover offer ${input.offer_id} belongs to another cart`)
    }
    if (offer.source !== "plugin_quote") {
      throw conflict(
        `XCover offer ${input.offer_id} was created by the storefront: it is taken by naming it in a line item's metadata, not selected here`
      )
    }
    if (offer.status !== "shown") {
      throw conflict(
        `XCover offer ${input.offer_id} is already decided (${offer.status})`
      )
    }
    const covered = cart.items.find((i) => i.id === offer.line_item_id)
    if (!covered) {
      throw conflict(
        `XCover offer ${input.offer_id} is stale: the line it covers is no longer in the cart`
      )
    }
    if (
      offer.replaced_at ||
      lineFingerprint(covered) !== offer.line_fingerprint
    ) {
      throw conflict(
        `XCover offer ${input.offer_id} is stale: the line it covers changed since it was quoted; quote it again`
      )
    }
    const quote = offer.quotes.find((q) => q.id === input.quote_id)
    if (!quote) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `quote_id ${input.quote_id} is not a quote of XCover offer ${input.offer_id}`
      )
    }
    if (offer.currency.toUpperCase() !== cart.currency_code.toUpperCase()) {
      throw conflict(
        `XCover offer ${input.offer_id} is priced in ${offer.currency}, the cart in ${cart.currency_code.toUpperCase()}`
      )
    }
    const remove = new Set([
      ...coverLinesFor(cart, { line_item_id: covered.id }),
      ...coverLinesFor(cart, { offer_id: offer.offer_id }),
    ])
    const item: CoverLineInput = {
      title: quote.title ?? offer.content?.title ?? "XCover protection",
      subtitle: covered.product_title ?? covered.title,
      product_type: "XCover cover",
      product_type_id: COVER_PRODUCT_TYPE_ID,
      quantity: 1,
      unit_price: quote.price,
      requires_shipping: false,
      is_discountable: false,
      is_tax_inclusive: false,
      metadata: {
        [LINE_ITEM_METADATA_KEY]: offer.offer_id,
        [COVER_QUOTE_METADATA_KEY]: quote.id,
        [COVERED_ITEM_METADATA_KEY]: covered.id,
        xcover_product_config_id: quote.product_config_id,
      },
    }
    return new StepResponse<PreparedSelection>({
      cart_id: cart.id,
      remove_ids: [...remove].map((l) => l.id),
      item,
    })
  }
)
