import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { isValidOfferId } from "../../modules/xcover/offer-id"
import type { OrderOffersInput } from "../../modules/xcover/service"

/** Where storefronts may list offers without calling the store route. */
export const CART_METADATA_KEY = "xcover_offer_ids"
/** Line item metadata key naming the offer the shopper bought with that item. */
export const LINE_ITEM_METADATA_KEY = "xcover_offer_id"

type OrderGraph = {
  id: string
  cart?: { id: string; metadata?: Record<string, unknown> | null } | null
  items?: ({ metadata?: Record<string, unknown> | null } | null)[] | null
}

/**
 * Reads the cart metadata's offer ids. A malformed value is skipped (with the reason) rather
 * than failing the order: the storefront wrote it, the shopper already paid.
 */
export function offerIdsFromCartMetadata(metadata: Record<string, unknown> | null | undefined): {
  ids: string[]
  problems: string[]
} {
  const value = metadata?.[CART_METADATA_KEY]
  if (value === undefined || value === null) {
    return { ids: [], problems: [] }
  }
  if (!Array.isArray(value)) {
    return { ids: [], problems: [`cart.metadata.${CART_METADATA_KEY} is not an array`] }
  }
  const ids: string[] = []
  const problems: string[] = []
  value.forEach((item, i) => {
    if (isValidOfferId(item)) {
      ids.push(item)
    } else {
      problems.push(`cart.metadata.${CART_METADATA_KEY}[${i}] is not a valid offer id`)
    }
  })
  return { ids: [...new Set(ids)], problems }
}

/** Offer ids that the order's line items reference: these were bought. */
export function selectedOfferIds(items: OrderGraph["items"]): string[] {
  const ids = (items ?? [])
    .map((item) => item?.metadata?.[LINE_ITEM_METADATA_KEY])
    .filter(isValidOfferId)
  return [...new Set(ids)]
}

/**
 * Loads what the decision needs: the order's cart, its metadata offers and the bought ones.
 * Returns null for an order without a cart (a converted draft order): nothing to do.
 */
export const loadOrderOffersStep = createStep(
  "load-xcover-order-offers",
  async (input: { order_id: string }, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
    const { data } = await query.graph({
      entity: "order",
      fields: ["id", "cart.id", "cart.metadata", "items.metadata"],
      filters: { id: input.order_id },
    })
    const order = data[0] as OrderGraph | undefined
    if (!order?.cart?.id) {
      return new StepResponse<OrderOffersInput | null>(null)
    }
    const fromMetadata = offerIdsFromCartMetadata(order.cart.metadata)
    for (const problem of fromMetadata.problems) {
      logger.warn(`xcover: order ${order.id}: ${problem}; skipped`)
    }
    return new StepResponse<OrderOffersInput | null>({
      order_id: order.id,
      cart_id: order.cart.id,
      metadata_offer_ids: fromMetadata.ids,
      selected_offer_ids: selectedOfferIds(order.items),
    })
  }
)
