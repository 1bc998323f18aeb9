// XCover's JSON error bodies as the stand-in answers them: a refusal (`refused`, 422 in XCover's
// shape), the bodies every route shares (403 of a bad signature, 404 of an unknown booking), and
// the body of a scripted answer given without one (`defaultErrorBody`).

/** XCover's JSON error body: `type` and `message`, and for a refusal its reasons in `errors`. */
export type StandInErrorBody = {
  type: string
  message: string
  code?: string
  error_id?: string
  errors?: string[] | Record<string, unknown>
}

/** A request the stand-in refuses: the status, XCover's body, and the reason `received` keeps. */
export type Refused = {
  ok: false
  status: number
  body: StandInErrorBody
  reason: string
}

/**
 * XCover's `message` of a 422 refusal; what happened is in `errors` (captured: confirm-repeat,
 * cancel-repeat, err-empty-body).
 */
const API_ERROR_MESSAGE = "An API error occurred."

/**
 * A 422 `validation_error` in XCover's shape: the reasons as an array of strings (confirm-repeat,
 * cancel-repeat) or as an object of field → messages (err-empty-body: `non_field_errors`).
 */
export function refused(errors: string[] | Record<string, string[]>): Refused {
  const reason = Array.isArray(errors)
    ? errors[0]
    : Object.entries(errors).map(
        ([field, messages]) => `${field}: ${messages[0]}`
      )[0]
  return {
    ok: false,
    status: 422,
    body: { type: "validation_error", message: API_ERROR_MESSAGE, errors },
    reason,
  }
}

/** The 403 of a request XCover does not let in (err-bad-signature). */
export function forbiddenBody(): StandInErrorBody {
  return {
    type: "auth_error",
    message: "You do not have permission to access this url",
  }
}

/** The 404 of a booking the stand-in does not have (guess: Get Booking's and the cancel routes' 404). */
export function unknownBookingBody(): StandInErrorBody {
  return { type: "api_error", message: "Booking does not exist" }
}

/** The 404 of an offer Confirm Offer does not know (err-invalid-offer-id). */
export function unknownOfferBody(): StandInErrorBody {
  return { type: "api_error", message: "Quote package does not exist" }
}

/** The body of a scripted answer given without one. */
export function defaultErrorBody(status: number): StandInErrorBody {
  switch (status) {
    case 403:
      // err-bad-signature.
      return forbiddenBody()
    case 404:
      // err-invalid-offer-id.
      return unknownOfferBody()
    case 422:
      // XCover's shape (confirm-repeat, cancel-repeat); the reason itself is a guess.
      return {
        type: "validation_error",
        message: API_ERROR_MESSAGE,
        errors: ["Invalid input"],
      }
    case 429:
      // Guess: no capture of a 429 body (shared/xcover-api.md quotes this message).
      return {
        type: "throttled",
        message: "Request was throttled. Expected available in 1 second.",
      }
    default:
      // Guess: 423 and 5xx bodies were never captured.
      return { type: "api_error", message: `stand-in answered ${status}` }
  }
}
