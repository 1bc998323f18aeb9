import type { Logger } from "@medusajs/framework/types"
import type { XcoverCredentials } from "../options"
import { storeWebhook } from "../ledger/webhook-events"
import type { SqlManager } from "../sql"
import { webhookProblem, type WebhookHeaders } from "./verify"

export type WebhookAnswer = {
  status: 200 | 400 | 401
  message: string
  /** The order whose read-backs the webhook made due now, for the caller to send (the job sends them otherwise). */
  read_back_order_id?: string
}

type Deps = {
  manager: SqlManager
  logger: Logger
  /** How long a webhook's read-back is retried at the retry policy's pace (`retry.maxAgeMs`). */
  retryMaxAgeMs: number
}

/**
 * An incoming webhook: verified on its headers with the account's key and secret, then kept.
 * 401 for anything not signed by XCover (changes nothing); 200 for everything else, unknown
 * bookings included (XCover retries a non-200 only three times, so it must not wait on us).
 */
export async function receiveWebhook(
  deps: Deps,
  credentials: Pick<XcoverCredentials, "apiKey" | "apiSecret"> | null,
  headers: WebhookHeaders,
  rawBody: string
): Promise<WebhookAnswer> {
  const { logger } = deps
  if (!credentials) {
    logger.warn(
      "xcover: webhook refused: no XCover credentials configured to verify it"
    )
    return { status: 401, message: "not verified" }
  }
  const problem = webhookProblem(headers, credentials)
  if (problem) {
    logger.warn(`xcover: webhook refused: ${problem}`)
    return { status: 401, message: "not verified" }
  }
  let parsed: { event?: unknown; payload?: unknown }
  try {
    parsed = JSON.parse(rawBody) as { event?: unknown; payload?: unknown }
  } catch {
    return { status: 400, message: "body is not JSON" }
  }
  const event = typeof parsed?.event === "string" ? parsed.event : ""
  // XCover signs the Date only, not the body: a captured webhook could be replayed with another
  // body within the 5 minutes. So the event only says "this booking changed": it is kept, and
  // the booking's state is read from XCover itself (signed Get Booking, through the outbox) and
  // applied from that answer. Kept first, answered 200: nothing waits on XCover being readable.
  const stored = await storeWebhook(
    deps.manager,
    event,
    parsed?.payload,
    deps.retryMaxAgeMs
  )
  if (stored.result === "unknown_booking") {
    logger.warn(
      `xcover: webhook ${event} for a booking this store does not know; answered 200`
    )
  } else if (stored.result === "stored") {
    logger.info(
      `xcover: webhook ${event} kept for booking ${stored.booking_row_id}; reading it back from XCover`
    )
    return {
      status: 200,
      message: stored.result,
      read_back_order_id: stored.order_id,
    }
  }
  return { status: 200, message: stored.result }
}
