import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { XCOVER_MODULE } from "../../modules/xcover"
import type XcoverModuleService from "../../modules/xcover/service"
import type {
  OrderOffersInput,
  OrderOffersResult,
} from "../../modules/xcover/service"

/**
 * Writes the decision to the ledger before any call is made (the outbox): declined offers become
 * pending, bought ones selected. Idempotent, so no compensation is needed.
 */
export async function recordOrderOffers(
  container: MedusaContainer,
  input: OrderOffersInput | null
): Promise<OrderOffersResult> {
  if (!input) {
    return { declined: [], selected: [], foreign: [], already_sent: [] }
  }
  const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
  const result = await xcover.recordOrderOffers(input)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  if (result.foreign.length) {
    logger.warn(
      `xcover: order ${input.order_id}: offers ${result.foreign.join(", ")} belong to another cart; skipped`
    )
  }
  if (result.not_taken?.length) {
    logger.warn(
      `xcover: order ${input.order_id}: offers ${result.not_taken.join(", ")} quoted by the plugin are named by a line that is not their cover line at the quoted price; counted as declined`
    )
  }
  if (result.already_sent.length) {
    logger.error(
      `xcover: order ${input.order_id} bought offers ${result.already_sent.join(", ")} that another order had already declined and opted out`
    )
  }
  return result
}

export const recordOrderOffersStep = createStep(
  "record-xcover-order-offers",
  async (input: OrderOffersInput | null, { container }) =>
    new StepResponse(await recordOrderOffers(container, input))
)
