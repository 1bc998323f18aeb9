import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { XCOVER_MODULE } from "../../modules/xcover"
import type XcoverModuleService from "../../modules/xcover/service"
import { offerIdsFromCartMetadata } from "../order-graph"

/**
 * Copies the offer ids of an open cart's metadata into the ledger as `shown`, within the per-cart
 * limit and under the cart lock, as the store route does. Completed carts
 * are left to the `order.placed` workflow, which reads the metadata itself; malformed entries
 * are reported there, once, not on every cart update.
 */
export const recordCartMetadataOffersStep = createStep(
  "record-xcover-cart-metadata-offers",
  async (input: { cart_id: string }, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "cart",
      fields: ["id", "completed_at", "metadata"],
      filters: { id: input.cart_id },
    })
    const cart = data[0] as
      | {
          id: string
          completed_at?: Date | string | null
          metadata?: Record<string, unknown> | null
        }
      | undefined
    const { ids } = offerIdsFromCartMetadata(cart?.metadata)
    if (!cart || cart.completed_at || !ids.length) {
      return new StepResponse<string[]>([])
    }
    const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
    return new StepResponse(await xcover.recordMetadataOffers(cart.id, ids))
  }
)
