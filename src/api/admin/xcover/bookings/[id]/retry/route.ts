import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { XCOVER_MODULE } from "../../../../../../modules/xcover"
import type XcoverModuleService from "../../../../../../modules/xcover/service"
import { retryXcoverBookingWorkflow } from "../../../../../../workflows/retry-xcover-booking"
import { answeringConflicts } from "../../../../../conflict"

/**
 * Confirms a failed booking again and answers with the order's bookings as they are afterwards;
 * 409 (with why) when its order was cancelled.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  await answeringConflicts(res, async () => {
    const { result } = await retryXcoverBookingWorkflow(req.scope).run({ input: { id: req.params.id } })
    const xcover = req.scope.resolve<XcoverModuleService>(XCOVER_MODULE)
    const bookings = await xcover.listOrderBookings(result.booking.order_id)
    res.json({ booking: bookings.find((b) => b.id === req.params.id) ?? result.booking })
  })
}
