import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { XCOVER_MODULE } from "../../modules/xcover"
import type XcoverModuleService from "../../modules/xcover/service"
import type { OrderOffersInput } from "../../modules/xcover/service"
import {
  isCancelledOrder,
  ORDER_DECISION_FIELDS,
  orderOffersInput,
  type OrderGraph,
} from "../order-graph"

/**
 * Loads what the decision needs: the order's cart, its metadata offers and the bought ones.
 * Returns null for an order without a cart (a converted draft order): nothing to do.
 */
export async function loadOrderOffers(
  container: MedusaContainer,
  orderId: string
): Promise<OrderOffersInput | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const { data } = await query.graph({
    entity: "order",
    fields: ORDER_DECISION_FIELDS,
    filters: { id: orderId },
  })
  const order = data[0] as OrderGraph | undefined
  if (!order) {
    return null
  }
  const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
  const { input: decision, problems } = orderOffersInput(order, {
    booking: xcover.bookingEnabled,
  })
  for (const problem of problems) {
    logger.warn(`xcover: order ${order.id}: ${problem}; skipped`)
  }
  if (
    decision &&
    xcover.bookingEnabled &&
    isCancelledOrder(order) &&
    decision.selected_offer_ids.length + (decision.cover_lines?.length ?? 0) > 0
  ) {
    logger.warn(
      `xcover: order ${order.id} was cancelled before its offers were decided: its taken offers are not booked`
    )
  }
  return decision
}

export const loadOrderOffersStep = createStep(
  "load-xcover-order-offers",
  async (input: { order_id: string }, { container }) =>
    new StepResponse(await loadOrderOffers(container, input.order_id))
)
