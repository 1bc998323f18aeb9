import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { testXcoverConnectionWorkflow } from "../../../../../workflows/test-xcover-connection"

/** Probes XCover with the settings in effect; always 200 with the finding in plain words. */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const { result } = await testXcoverConnectionWorkflow(req.scope).run()
  res.json({ connection: result })
}
