import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { XCOVER_MODULE } from "../../../../modules/xcover"
import type XcoverModuleService from "../../../../modules/xcover/service"
import { answeringConflicts } from "../../../conflict"

/** Runs an admin action on the booking `:id` and answers it as it is afterwards (a 409 says why not). */
export async function answerBookingAfter(
  req: MedusaRequest,
  res: MedusaResponse,
  action: (id: string) => Promise<unknown>
): Promise<void> {
  await answeringConflicts(res, async () => {
    await action(req.params.id)
    const xcover = req.scope.resolve<XcoverModuleService>(XCOVER_MODULE)
    res.json({ booking: await xcover.getBooking(req.params.id) })
  })
}
