import type { Logger } from "@medusajs/framework/types"
import type { XcoverCredentials } from "../options"
import type { XcoverAnswer } from "../client/xcover-client"
import { describeOutcome } from "../client/outcome"
import { applyBookingEvent, findEventBooking } from "../ledger/webhook-events"
import type { SqlManager } from "../sql"
import { webhookProblem, type WebhookHeaders } from "./verify"

export type WebhookAnswer = { status: 200 | 400 | 401 | 503; message: string }

type Deps = {
  manager: SqlManager
  logger: Logger
  /** Publishes the events written with the change (`ledger/durable-events`). */
  publishEvents: () => void
  /** Get Booking with the account's credentials (null when calls are not configured). */
  readBooking: (bookingId: string) => Promise<XcoverAnswer | null>
}

/**
 * An incoming webhook: verified on its headers with the account's key and secret, then applied.
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
    logger.warn("xcover: webhook refused: no XCover credentials configured to verify it")
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
  // body within the 5 minutes. So the event only says "this booking changed": its state is read
  // from XCover itself (signed Get Booking) and that is what the booking takes.
  const known = await findEventBooking(deps.manager, parsed?.payload)
  let truth: unknown
  if (known?.booking_id) {
    const read = await deps.readBooking(known.booking_id)
    if (!read || read.outcome.kind !== "done") {
      logger.warn(`xcover: webhook ${event} for booking ${known.booking_id}: could not read it from XCover (${read ? describeOutcome(read.outcome) : "not configured"}); answered 503 so XCover sends it again`)
      return { status: 503, message: "booking could not be read from XCover; send again" }
    }
    truth = read.body
  }
  const applied = await applyBookingEvent(deps.manager, event, parsed?.payload, truth)
  if (applied.result === "unknown_booking") {
    logger.warn(`xcover: webhook ${event} for a booking this store does not know; answered 200`)
  } else if (applied.result === "applied") {
    logger.info(`xcover: webhook ${event} applied to booking ${applied.booking_id ?? applied.booking_row_id}`)
    if (applied.cancelled_now) {
      // Its `xcover.booking.cancelled` was written with the change: published now.
      deps.publishEvents()
    }
  }
  return { status: 200, message: applied.result }
}
