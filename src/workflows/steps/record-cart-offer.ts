import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import {
  ContainerRegistrationKeys,
  MedusaError,
} from "@medusajs/framework/utils"
import { XCOVER_MODULE } from "../../modules/xcover"
import type XcoverModuleService from "../../modules/xcover/service"

/**
 * Records an offer shown for a cart. Only open carts take offers: once a cart is completed its
 * offers have been decided, and a late one would never be opted out.
 */
export const recordCartOfferStep = createStep(
  "record-xcover-cart-offer",
  async (input: { cart_id: string; offer_id: string }, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "cart",
      fields: ["id", "completed_at"],
      filters: { id: input.cart_id },
    })
    const cart = data[0] as
      { id: string; completed_at?: Date | string | null } | undefined
    if (!cart) {
      throw new MedusaError(
        MedusaError.Types.NOT_FOUND,
        `Cart with id: ${input.cart_id} was not found`
      )
    }
    if (cart.completed_at) {
      throw new MedusaError(
        MedusaError.Types.CONFLICT,
        "Cart is already completed; offers can no longer be recorded"
      )
    }
    const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
    return new StepResponse(await xcover.recordShownOffer(input))
  }
)
