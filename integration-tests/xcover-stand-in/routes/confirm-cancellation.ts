// Confirm Cancellation (`POST bookings/{booking}/confirm_cancellation/{cancellation}/`): carries
// out the booking's latest cancellation preview, with the refund the preview fixed.
import { cancelAndAnswer, cancellableBooking } from "../cancellation"
import { refused } from "../errors"
import { answer, answerRefused, type Exchange } from "../exchange"
import { readBodyFields } from "../request-body"

/**
 * Confirm Cancellation, once signature and partner are checked: the body (`{}`, or empty), then
 * the steps of `cancellableBooking`, then the cancellation (guess: 404 unless it is the
 * booking's latest preview; 422 once its `confirm_before` has passed), then the cancellation
 * with the refund of the preview (cancel-twostep-confirm).
 */
export function handleConfirmCancellation(
  ex: Exchange,
  bookingId: string,
  cancellationId: string,
  raw: string
): void {
  const { state } = ex
  const found = cancellableBooking(
    ex,
    bookingId,
    readBodyFields(ex.req, raw, { allowEmpty: true, fields: [] })
  )
  if (!found) {
    return
  }
  const { booking, scripted } = found
  const pending = state.pendingCancellations.get(bookingId)
  if (!pending || pending.id !== cancellationId) {
    const reason = pending
      ? "not the booking's latest cancellation preview"
      : "no cancellation previewed for this booking"
    return answer(
      ex,
      404,
      { type: "api_error", message: "Cancellation does not exist" },
      reason,
      scripted.headers
    )
  }
  if (state.now() > pending.confirmBefore) {
    const expired = refused([
      "Cancellation has expired, request a new cancellation preview",
    ])
    return answerRefused(ex, expired, scripted.headers)
  }
  return cancelAndAnswer(ex, booking, pending.refunds, scripted)
}
