// Which API call a request names (`matchRoute`): its method and path under
// `{prefix}/partners/{partner}/`, with the ids in the path; or the 404/405 of a path the stand-in
// does not serve.

export type MatchedRoute =
  | { ok: true; route: "opt_out"; partnerCode: string; offerId: string }
  | { ok: true; route: "create_offer"; partnerCode: string; offerId: null }
  | { ok: true; route: "confirm"; partnerCode: string; offerId: string }
  | {
      ok: true
      route: "get_booking"
      partnerCode: string
      offerId: null
      bookingId: string
    }
  | {
      ok: true
      route: "cancel"
      partnerCode: string
      offerId: null
      bookingId: string
    }
  | {
      ok: true
      route: "confirm_cancellation"
      partnerCode: string
      offerId: null
      bookingId: string
      cancellationId: string
    }

export type UnmatchedRoute = { ok: false; status: number; reason: string }

export function matchRoute(
  prefix: string,
  method: string,
  url: string
): MatchedRoute | UnmatchedRoute {
  const escapedPrefix = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
  const under = (pattern: string) =>
    new RegExp(`^${escapedPrefix}/partners/([^/]+)/${pattern}$`)
  const q = url.indexOf("?")
  const path = q < 0 ? url : url.slice(0, q)
  const booking = under("bookings/([^/]+)(/?)").exec(path)
  if (booking && method === "GET") {
    if (!booking[3]) {
      return {
        ok: false,
        status: 404,
        reason: "no such path (the trailing slash is required)",
      }
    }
    // Get Booking: the one path read with GET.
    if (q >= 0) {
      return { ok: false, status: 404, reason: "unexpected query string" }
    }
    const [partnerCode, bookingId] = decodedIds(booking)
    return {
      ok: true,
      route: "get_booking",
      partnerCode,
      offerId: null,
      bookingId,
    }
  }
  if (method !== "POST") {
    return { ok: false, status: 405, reason: `method ${method} not allowed` }
  }
  const create = under("offers/").exec(path)
  if (create) {
    // The one path that takes a query string: none (market-*), `include_content=true`, and
    // `extra_fields=...` beside it (extra-fields-test). Guess: any other query is a 404.
    const query = new URLSearchParams(q < 0 ? "" : url.slice(q + 1))
    const keys = [...query.keys()]
    const known =
      keys.every((k) => k === "include_content" || k === "extra_fields") &&
      new Set(keys).size === keys.length
    if (
      !known ||
      (query.has("include_content") && query.get("include_content") !== "true")
    ) {
      return {
        ok: false,
        status: 404,
        reason:
          "create offer takes no query but include_content=true and extra_fields",
      }
    }
    const [partnerCode] = decodedIds(create)
    return { ok: true, route: "create_offer", partnerCode, offerId: null }
  }
  if (q >= 0) {
    return { ok: false, status: 404, reason: "unexpected query string" }
  }
  // Cancel Booking is documented without the trailing slash; XCover's router takes both.
  const cancel = under("bookings/([^/]+)/cancel/?").exec(path)
  if (cancel) {
    const [partnerCode, bookingId] = decodedIds(cancel)
    return { ok: true, route: "cancel", partnerCode, offerId: null, bookingId }
  }
  const confirmCancellation = under(
    "bookings/([^/]+)/confirm_cancellation/([^/]+)/"
  ).exec(path)
  if (confirmCancellation) {
    const [partnerCode, bookingId, cancellationId] =
      decodedIds(confirmCancellation)
    return {
      ok: true,
      route: "confirm_cancellation",
      partnerCode,
      offerId: null,
      bookingId,
      cancellationId,
    }
  }
  const m = under("offers/([^/]+)/(opt_out|confirm)/").exec(url)
  if (!m) {
    return {
      ok: false,
      status: 404,
      reason: "no such path (the trailing slash is required)",
    }
  }
  const [partnerCode, offerId] = decodedIds(m)
  return m[3] === "confirm"
    ? { ok: true, route: "confirm", partnerCode, offerId }
    : { ok: true, route: "opt_out", partnerCode, offerId }
}

/** The ids a path pattern captured (partner code first), percent-decoded, in order. */
function decodedIds(match: RegExpExecArray): string[] {
  return match.slice(1).map((id) => decodeURIComponent(id))
}
