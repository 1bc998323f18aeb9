// The HTTP dispatch: records each request, answers a path the stand-in does not serve, checks
// the signature and the partner, and hands the request to its route's handler.
import {
  STATUS_CODES,
  type IncomingMessage,
  type ServerResponse,
} from "node:http"
import { forbiddenBody } from "./errors"
import { answer, type Exchange } from "./exchange"
import { recordRequest } from "./recording"
import { readBody } from "./request-body"
import { matchRoute } from "./route-match"
import { handleCancelBooking } from "./routes/cancel-booking"
import { handleConfirmCancellation } from "./routes/confirm-cancellation"
import { handleConfirmOffer } from "./routes/confirm-offer"
import { handleCreateOffer } from "./routes/create-offer"
import { handleGetBooking } from "./routes/get-booking"
import { handleOptOut } from "./routes/opt-out"
import { checkSignature } from "./signature"
import type { StandInState } from "./state"

/** Answers one request to the stand-in. */
export async function dispatch(
  state: StandInState,
  req: IncomingMessage,
  res: ServerResponse
): Promise<void> {
  const at = Date.now()
  const arrived = performance.now()
  const body = await readBody(req)
  const record = recordRequest(req, res, body, at, arrived)
  state.received.push(record)

  const route = matchRoute(state.prefix, req.method ?? "", req.url ?? "")
  if (!route.ok) {
    // Outside the API XCover's JSON errors do not apply: a web server's plain page, as for a wrong base path.
    record.answer = route.status
    record.reason = route.reason
    res
      .writeHead(route.status, { "content-type": "text/html" })
      .end(
        `<html><body><h1>${route.status} ${STATUS_CODES[route.status]}</h1></body></html>`
      )
    return
  }
  record.route = route.route
  record.offerId = route.offerId
  record.partnerCode = route.partnerCode
  if ("bookingId" in route) {
    record.bookingId = route.bookingId
  }
  if (route.route === "cancel" || route.route === "confirm_cancellation") {
    record.offerId = state.bookings.get(route.bookingId)?.fast_quote_id ?? null
  }
  const ex: Exchange = { state, req, res, record, loseAnswer: null }

  // A bad signature is 403 (err-bad-signature); another partner's code gets the same 403 (no
  // capture of one).
  const refusal =
    checkSignature(state, req, record) ??
    (route.partnerCode !== state.options.partnerCode
      ? "unknown partner code"
      : null)
  if (refusal) {
    return answer(ex, 403, forbiddenBody(), refusal)
  }
  switch (route.route) {
    case "create_offer":
      return handleCreateOffer(ex, body)
    case "confirm":
      return handleConfirmOffer(ex, route.offerId, body)
    case "get_booking":
      return handleGetBooking(ex, route.bookingId)
    case "cancel":
      return handleCancelBooking(ex, route.bookingId, body)
    case "confirm_cancellation":
      return handleConfirmCancellation(
        ex,
        route.bookingId,
        route.cancellationId,
        body
      )
    case "opt_out":
      return handleOptOut(ex, route.offerId, body)
  }
}
