import { deleteLineItemsWorkflow } from "@medusajs/medusa/core-flows"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { XCOVER_MODULE } from "../modules/xcover"
import { lineFingerprint } from "../modules/xcover/ledger/quoted-offers"
import type XcoverModuleService from "../modules/xcover/service"
import { quoteXcoverOfferWorkflow } from "./quote-xcover-offer"
import { selectXcoverOfferWorkflow } from "./select-xcover-offer"
import {
  isCoverLine,
  loadCoverCart,
  type CartLine,
  type CoverCart,
} from "./steps/cart-cover"
import {
  COVERED_ITEM_METADATA_KEY,
  COVER_QUOTE_METADATA_KEY,
  LINE_ITEM_METADATA_KEY,
} from "./order-graph"

/** What one cover line needs to match its covered line again. */
export type CoverRepair =
  | { action: "remove"; cover_line_id: string; reason: string }
  | {
      action: "requote"
      cover_line_id: string
      covered_line_id: string
      product_config_id: string | null
    }

/**
 * Cover lines that no longer match their covered line: the covered line is gone (remove the
 * cover), or its quantity or price changed since the quote (re-quote the same plan).
 */
export async function findCoverRepairs(
  xcover: XcoverModuleService,
  cart: CoverCart
): Promise<CoverRepair[]> {
  const repairs: CoverRepair[] = []
  const covers = cart.items.filter(isCoverLine)
  const offerOf = (cover: CartLine) =>
    String(cover.metadata?.[LINE_ITEM_METADATA_KEY])
  // Every cover's offer in one read.
  const offers = await xcover.getQuotedOffers(covers.map(offerOf))
  for (const cover of covers) {
    const coveredId = cover.metadata?.[COVERED_ITEM_METADATA_KEY]
    const covered = cart.items.find((i) => i.id === coveredId)
    if (!covered) {
      repairs.push({
        action: "remove",
        cover_line_id: cover.id,
        reason: "the covered line was removed",
      })
      continue
    }
    const offer = offers.get(offerOf(cover))
    const quote = offer?.quotes.find(
      (q) => q.id === cover.metadata?.[COVER_QUOTE_METADATA_KEY]
    )
    // A cover is one unit at the quoted price, in the cart's currency, for the line as it was quoted.
    const current =
      offer &&
      quote &&
      !offer.replaced_at &&
      offer.line_fingerprint === lineFingerprint(covered) &&
      cover.quantity === 1 &&
      cover.unit_price === Number(quote.price) &&
      offer.currency.toUpperCase() === cart.currency_code.toUpperCase()
    if (!current) {
      repairs.push({
        action: "requote",
        cover_line_id: cover.id,
        covered_line_id: covered.id,
        product_config_id: quote?.product_config_id ?? planOf(cover),
      })
    }
  }
  return repairs
}

function planOf(cover: CartLine): string | null {
  const plan = cover.metadata?.xcover_product_config_id
  return typeof plan === "string" ? plan : null
}

/**
 * After a cart changed: covers follow their covered lines. A re-quote goes through the quote
 * workflow (and the store's hook) and keeps the plan the shopper chose; when XCover no longer
 * offers that plan or cannot be asked now, or the covered line is gone, the cover leaves the
 * cart: a cover is never bought for a line it was not quoted for. Replaced offers stay
 * recorded and are declined at order time like any other not taken.
 */
export async function syncCartCovers(
  container: MedusaContainer,
  cartId: string
): Promise<CoverRepair[]> {
  const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
  if (!(await xcover.hasQuotedOffers(cartId))) {
    return []
  }
  const cart = await loadCoverCart(container, cartId, { open: false })
  if (cart.completed_at) {
    return []
  }
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const repairs = await findCoverRepairs(xcover, cart)
  for (const repair of repairs) {
    if (repair.action === "requote") {
      const { result } = await quoteXcoverOfferWorkflow(container).run({
        input: { cart_id: cartId, line_item_id: repair.covered_line_id },
      })
      const quote =
        result.kind === "offer"
          ? result.offer.quotes.find(
              (q) =>
                q.product_config_id === repair.product_config_id &&
                repair.product_config_id !== null
            )
          : undefined
      if (result.kind === "offer" && quote) {
        await selectXcoverOfferWorkflow(container).run({
          input: {
            cart_id: cartId,
            offer_id: result.offer.offer_id,
            quote_id: quote.id,
          },
        })
        continue
      }
      if (result.kind === "unavailable") {
        // Never a stale cover: out it goes; the shopper can take cover again once XCover answers.
        logger.warn(
          `xcover: cart ${cartId}: the cover of line ${repair.covered_line_id} could not be re-quoted (XCover unavailable); it was taken out of the cart`
        )
      }
    }
    await deleteLineItemsWorkflow(container).run({
      input: { cart_id: cartId, ids: [repair.cover_line_id] },
    })
  }
  return repairs
}
