import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { answerBookingAfter } from "../../answer-booking"
import { cancelXcoverBookingWorkflow } from "../../../../../../workflows/cancel-xcover-booking"
import type { AdminCancelXcoverBookingBody } from "../../../validators"

/**
 * Cancels the policy at XCover (irreversible) through the outbox, or retries a failed
 * cancellation (`{ retry: true }`). Answers the booking as it is afterwards.
 */
export async function POST(
  req: MedusaRequest<AdminCancelXcoverBookingBody>,
  res: MedusaResponse
) {
  await answerBookingAfter(req, res, (id) =>
    cancelXcoverBookingWorkflow(req.scope).run({
      input: { id, retry: req.validatedBody.retry },
    })
  )
}
