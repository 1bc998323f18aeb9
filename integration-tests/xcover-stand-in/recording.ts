// The record the stand-in keeps of each request (`received`), and the questions tests ask of it.
import type { IncomingMessage, ServerResponse } from "node:http"
import { header, parseJson } from "./request-body"
import type { ReceivedRequest } from "./types"

/**
 * A new record of this request, as nothing is known of it yet (no route, 403), whose
 * `handledMs` is filled in once its answer has been handed to the OS.
 */
export function recordRequest(
  req: IncomingMessage,
  res: ServerResponse,
  raw: string,
  at: number,
  arrived: number
): ReceivedRequest {
  const record: ReceivedRequest = {
    method: req.method ?? "",
    path: req.url ?? "",
    route: null,
    offerId: null,
    bookingId: null,
    cancelled: false,
    createdOfferId: null,
    body: parseJson(raw),
    partnerCode: null,
    idempotencyKey: header(req, "x-idempotency-key"),
    algorithm: null,
    signedHeaders: null,
    date: header(req, "date"),
    answer: 403,
    reason: null,
    at,
    remotePort: req.socket.remotePort ?? null,
    closedAt: null,
    apiKey: header(req, "x-api-key"),
    handledMs: null,
  }
  res.once("finish", () => (record.handledMs = performance.now() - arrived))
  return record
}

export function requestsForOffer(
  received: ReceivedRequest[],
  offerId: string
): ReceivedRequest[] {
  return received.filter((r) => r.offerId === offerId)
}

/** Offers XCover counts as opted out: an opt-out answered 204 at least once. */
export function acceptedOfferIds(received: ReceivedRequest[]): string[] {
  return received
    .filter((r) => r.route === "opt_out" && r.answer === 204 && r.offerId)
    .map((r) => r.offerId as string)
}

/** The Confirm Offer requests received for this offer. */
export function confirmsForOffer(
  received: ReceivedRequest[],
  offerId: string
): ReceivedRequest[] {
  return received.filter((r) => r.route === "confirm" && r.offerId === offerId)
}

/**
 * The requests (Cancel Booking without preview, Confirm Cancellation) that changed this offer's
 * booking to CANCELLED (`cancelled: true`), answered or not.
 */
export function cancellationsForOffer(
  received: ReceivedRequest[],
  offerId: string
): ReceivedRequest[] {
  return received.filter((r) => r.cancelled && r.offerId === offerId)
}
