import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { retryXcoverBookingWorkflow } from "../../../../../../workflows/retry-xcover-booking"
import { answerBookingAfter } from "../../answer-booking"

/**
 * Confirms a failed booking again, or books one held for review, and answers the booking as it
 * is afterwards; 409 (with why) when its order was cancelled.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  await answerBookingAfter(req, res, (id) =>
    retryXcoverBookingWorkflow(req.scope).run({ input: { id } })
  )
}
