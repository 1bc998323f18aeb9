import type { MedusaContainer } from "@medusajs/framework/types"
import { XCOVER_MODULE } from "../modules/xcover"
import type XcoverModuleService from "../modules/xcover/service"

/**
 * The durable half of delivery: sends every due opt-out, including retries and offers whose
 * sender died mid-call. Runs in every server/worker process that runs jobs; offers are claimed
 * atomically, so processes share the work without sending anything twice.
 */
export default async function dispatchXcoverOptOutsJob(container: MedusaContainer) {
  const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
  await xcover.dispatchAllDue()
}

export const config = {
  name: "dispatch-xcover-opt-outs",
  // Cron with an optional seconds field; tests use a shorter period.
  schedule: process.env.XCOVER_DISPATCH_SCHEDULE || "* * * * *",
}
