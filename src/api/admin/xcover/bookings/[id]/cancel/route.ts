import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { XCOVER_MODULE } from "../../../../../../modules/xcover"
import type XcoverModuleService from "../../../../../../modules/xcover/service"
import { answeringConflicts } from "../../../../../conflict"
import { cancelXcoverBookingWorkflow } from "../../../../../../workflows/cancel-xcover-booking"
import type { AdminCancelXcoverBookingBody } from "../../../validators"

/**
 * Cancels the policy at XCover (irreversible) through the outbox, or retries a failed
 * cancellation (`{ retry: true }`). Answers the booking as it is afterwards.
 */
export async function POST(req: MedusaRequest<AdminCancelXcoverBookingBody>, res: MedusaResponse) {
  await answeringConflicts(res, async () => {
    await cancelXcoverBookingWorkflow(req.scope).run({ input: { id: req.params.id, retry: req.validatedBody.retry } })
    const xcover = req.scope.resolve<XcoverModuleService>(XCOVER_MODULE)
    res.json({ booking: await xcover.getBooking(req.params.id) })
  })
}
