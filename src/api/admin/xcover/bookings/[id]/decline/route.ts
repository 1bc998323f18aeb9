import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { declineXcoverBookingWorkflow } from "../../../../../../workflows/decline-xcover-booking"
import { answerBookingAfter } from "../../answer-booking"

/** Declines a booking held for review (its offer is opted out); 400 when it is not held. */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  await answerBookingAfter(req, res, (id) =>
    declineXcoverBookingWorkflow(req.scope).run({ input: { id } })
  )
}
