import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { retryXcoverOffersWorkflow } from "../../../../../workflows/retry-xcover-offers"
import type { AdminRetryXcoverOffersBody } from "../../validators"

/** Bulk retry: every failed or rejected offer matching the log's filters goes back to the outbox. */
export async function POST(
  req: MedusaRequest<AdminRetryXcoverOffersBody>,
  res: MedusaResponse
) {
  const { result } = await retryXcoverOffersWorkflow(req.scope).run({
    input: req.validatedBody,
  })
  res.json(result)
}
