import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { XCOVER_MODULE } from "../../modules/xcover"
import type XcoverModuleService from "../../modules/xcover/service"

type CartWithOrder = { id: string; completed_at?: Date | string | null; order?: { id: string } | null }

/**
 * Orders whose `order.placed` was never processed: their cart was completed, yet its offers are
 * still only `shown`. Checks a batch of such carts per run.
 */
export const findMissedOrdersStep = createStep("find-missed-xcover-orders", async (_: void, { container }) => {
  const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
  const cartIds = await xcover.claimShownCartsToCheck()
  if (!cartIds.length) {
    return new StepResponse<string[]>([])
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "cart",
    fields: ["id", "completed_at", "order.id"],
    filters: { id: cartIds },
  })
  const orderIds = (data as CartWithOrder[])
    .filter((cart) => cart.completed_at && cart.order?.id)
    .map((cart) => (cart.order as { id: string }).id)
  return new StepResponse(orderIds)
})
