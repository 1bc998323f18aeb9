import type { MedusaContainer } from "@medusajs/framework/types"
import { XCOVER_MODULE } from "../modules/xcover"
import type XcoverModuleService from "../modules/xcover/service"
import { findMissedOrdersWorkflow } from "../workflows/find-missed-orders"
import { optOutDeclinedOffersWorkflow } from "../workflows/opt-out-declined-offers"

/**
 * The durable half of delivery. Runs in every server/worker process that runs jobs; offers and
 * carts are claimed atomically, so processes share the work without doing anything twice.
 * 1. Orders whose `order.placed` was lost get their offers decided now.
 * 2. Every due opt-out is sent: retries, and offers whose sender died mid-call.
 */
export default async function dispatchXcoverOptOutsJob(container: MedusaContainer) {
  const { result: missedOrderIds } = await findMissedOrdersWorkflow(container).run()
  for (const orderId of missedOrderIds) {
    await optOutDeclinedOffersWorkflow(container).run({ input: { order_id: orderId } })
  }
  await container.resolve<XcoverModuleService>(XCOVER_MODULE).dispatchAllDue()
}

export const config = {
  name: "dispatch-xcover-opt-outs",
  // Cron with an optional seconds field; tests use a shorter period.
  schedule: process.env.XCOVER_DISPATCH_SCHEDULE || "* * * * *",
}
