import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { XCOVER_MODULE } from "../../../modules/xcover"
import type XcoverModuleService from "../../../modules/xcover/service"

/**
 * XCover's booking webhooks (BOOKING_CREATED / _UPDATED / _CANCELLED). Verified on the raw body's
 * headers with the account's key and secret; anything not signed by XCover gets 401 and changes
 * nothing. Every verified event is answered 200 fast, unknown bookings too: XCover retries a
 * non-200 only three times.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const xcover = req.scope.resolve<XcoverModuleService>(XCOVER_MODULE)
  const header = (name: string) => {
    const v = req.headers[name]
    return Array.isArray(v) ? v[0] : v
  }
  const raw = (req as MedusaRequest & { rawBody?: Buffer | string }).rawBody
  const body = Buffer.isBuffer(raw)
    ? raw.toString("utf8")
    : typeof raw === "string"
      ? raw
      : JSON.stringify(req.body ?? {})
  const { status, message } = await xcover.receiveWebhook(
    {
      date: header("date"),
      "x-api-key": header("x-api-key"),
      authorization: header("authorization"),
    },
    body
  )
  res.status(status).json({ message })
}
