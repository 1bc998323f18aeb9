// Cancel Booking (`POST bookings/{booking}/cancel`, with or without the trailing slash): with
// `preview` the booking as it would be once cancelled, changing nothing; without, the
// cancellation at once.
import { MIXED_CODE_CHARS, randomCode } from "../bookings"
import {
  CANCELLATION_TTL_MS,
  cancelAndAnswer,
  cancellableBooking,
  cancelledView,
  refundsFor,
  type PendingCancellation,
} from "../cancellation"
import { refused, type Refused } from "../errors"
import { answer, answerRefused, type Exchange } from "../exchange"
import { isObject, readBodyFields } from "../request-body"
import type { StandInBooking, StandInCancellationPreview } from "../types"

/**
 * Cancel Booking, once signature and partner are checked: the body (`preview`, `quotes`,
 * `refund_required`; an empty body is `{}`), then the steps of `cancellableBooking`, then the
 * quotes named, then the preview or the cancellation.
 */
export function handleCancelBooking(
  ex: Exchange,
  bookingId: string,
  raw: string
): void {
  const { state } = ex
  const read = readBodyFields(ex.req, raw, {
    allowEmpty: true,
    fields: ["preview", "quotes", "refund_required"],
  })
  const found = cancellableBooking(
    ex,
    bookingId,
    read.ok ? checkCancelFields(read.body) : read
  )
  if (!found) {
    return
  }
  const { booking, scripted, checked } = found
  const badQuotes = checkCancelQuotes(booking, checked.quoteIds)
  if (badQuotes) {
    return answerRefused(ex, badQuotes, scripted.headers)
  }
  const refunds = refundsFor(state, booking)
  if (checked.preview) {
    // cancel-preview, cancel-twostep-preview: the booking as it would be; nothing changes (Get Booking still says CONFIRMED).
    const cancellation: PendingCancellation = {
      id: randomCode(3, MIXED_CODE_CHARS, "CCL"),
      bookingId,
      confirmBefore: state.now() + CANCELLATION_TTL_MS,
      refunds,
    }
    state.pendingCancellations.set(bookingId, cancellation)
    const preview: StandInCancellationPreview = {
      ...cancelledView(booking, refunds),
      cancellation_id: cancellation.id,
      confirm_before: new Date(cancellation.confirmBefore).toISOString(),
    }
    return answer(ex, scripted.status, preview, null, scripted.headers)
  }
  // cancel-confirm-1, cancel-cleanup-2: cancelled at once.
  return cancelAndAnswer(ex, booking, refunds, scripted)
}

/**
 * Cancel Booking's body, as the captured requests send it: `preview` (cancel-preview), `quotes`
 * of `{ id, reason_for_cancellation? }` and `refund_required` (cancel-confirm-1). `refund_required:
 * false` still answers the refund (cancel-confirm-1), so the stand-in ignores it. Guess: other
 * fields and values of the wrong type are refused 422 by field.
 */
function checkCancelFields(
  body: Record<string, unknown>
): { ok: true; preview: boolean; quoteIds: string[] | null } | Refused {
  const errors: Record<string, string[]> = {}
  for (const field of ["preview", "refund_required"]) {
    if (body[field] !== undefined && typeof body[field] !== "boolean") {
      errors[field] = ["Must be a valid boolean."]
    }
  }
  let quoteIds: string[] | null = null
  if (body.quotes !== undefined) {
    if (!Array.isArray(body.quotes)) {
      errors.quotes = ["Expected a list of items."]
    } else {
      quoteIds = []
      body.quotes.forEach((q: unknown, i: number) => {
        const quote = isObject(q) ? q : {}
        if (typeof quote.id !== "string" || !quote.id) {
          errors[`quotes[${i}].id`] = ["This field is required."]
        } else {
          quoteIds?.push(quote.id)
        }
        if (
          quote.reason_for_cancellation !== undefined &&
          typeof quote.reason_for_cancellation !== "string"
        ) {
          errors[`quotes[${i}].reason_for_cancellation`] = [
            "Not a valid string.",
          ]
        }
      })
    }
  }
  return Object.keys(errors).length
    ? refused(errors)
    : { ok: true, preview: body.preview === true, quoteIds }
}

/**
 * Guess: the quotes a cancel names must be the booking's, each once, and all of them (the
 * stand-in does not model a partial cancellation; no capture has one). Null when they are, or
 * none are named (the whole booking).
 */
function checkCancelQuotes(
  booking: StandInBooking,
  quoteIds: string[] | null
): Refused | null {
  if (quoteIds === null) {
    return null
  }
  const unknown = quoteIds.filter(
    (id) => !booking.quotes.some((q) => q.id === id)
  )
  if (unknown.length) {
    return refused({
      quotes: unknown.map(
        (id) => `Quote ${id} is not part of booking ${booking.id}.`
      ),
    })
  }
  if (new Set(quoteIds).size !== quoteIds.length) {
    return refused({ quotes: ["A quote is given more than once."] })
  }
  if (quoteIds.length !== booking.quotes.length) {
    return refused({
      quotes: [
        "The stand-in cancels whole bookings only: name every quote of the booking, or none.",
      ],
    })
  }
  return null
}
