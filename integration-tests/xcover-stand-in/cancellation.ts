// What the two cancel routes (Cancel Booking, Confirm Cancellation) and `cancelAtXcover` share:
// the refunds, the booking as a cancellation leaves it, the steps before a cancellation, and the
// cancellation itself.
import { round2 } from "./bookings"
import { refused, unknownBookingBody, type Refused } from "./errors"
import { answer, answerRefused, type Exchange } from "./exchange"
import { playScripted, type UsualAnswer } from "./scripted"
import type { StandInState } from "./state"
import type { StandInBooking } from "./types"

/** How long a cancellation preview can be confirmed. */
export const CANCELLATION_TTL_MS = 24 * 60 * 60 * 1000

/** Cancelling a cancelled booking, on either cancel route (cancel-repeat). */
const ALREADY_CANCELLED =
  "Status change not allowed for QuotePackage in status CANCELLED"

export type QuoteRefund = {
  id: string
  refund_value: number
  adjustment_fee: number
}

/** A previewed cancellation, waiting for Confirm Cancellation: the refund fixed at preview. */
export type PendingCancellation = {
  id: string
  bookingId: string
  confirmBefore: number
  refunds: QuoteRefund[]
}

/** Each quote's refund under the current `setRefundRatio`. */
export function refundsFor(
  state: StandInState,
  booking: StandInBooking
): QuoteRefund[] {
  return booking.quotes.map((q) => {
    const refund =
      state.refundRatio === null ? q.price : round2(q.price * state.refundRatio)
    return {
      id: q.id,
      refund_value: refund,
      adjustment_fee: round2(q.price - refund),
    }
  })
}

/**
 * The booking as a cancellation answers it, a copy (cancel-preview, cancel-confirm-1): CANCELLED,
 * each quote CANCELLED with its `refund_value` and `adjustment_fee` (a quote without a refund
 * given is refunded in full) and its `price` kept, the booking's `total_price`, `total_premium`
 * and `total_tax` 0, the refund as `total_refund` and `refund_amount`.
 */
export function cancelledView(
  booking: StandInBooking,
  refunds: QuoteRefund[]
): StandInBooking & {
  status: "CANCELLED"
  total_refund: number
  refund_amount: number
} {
  const quotes = structuredClone(booking.quotes).map((q) => {
    const refund = refunds.find((r) => r.id === q.id) ?? {
      refund_value: q.price,
      adjustment_fee: 0,
    }
    return {
      ...q,
      status: "CANCELLED" as const,
      refund_value: refund.refund_value,
      adjustment_fee: refund.adjustment_fee,
    }
  })
  const totalRefund = round2(quotes.reduce((sum, q) => sum + q.refund_value, 0))
  return {
    ...structuredClone(booking),
    status: "CANCELLED",
    total_price: 0,
    total_premium: 0,
    total_tax: 0,
    quotes,
    total_refund: totalRefund,
    refund_amount: totalRefund,
  }
}

/**
 * Makes the stored booking what the cancellation answers, in place, with these refunds
 * (cancel-confirm-1: CANCELLED, totals 0, the refund, `cancellation_id` and `confirm_before`
 * null); drops its pending preview. Guess: Get Booking (and a webhook's payload) shows it so
 * from then on, as XCover's booking answers share one form; no capture reads a booking back
 * after a cancellation.
 */
export function cancelBooking(
  state: StandInState,
  booking: StandInBooking,
  refunds: QuoteRefund[]
): void {
  Object.assign(booking, cancelledView(booking, refunds), {
    cancellation_id: null,
    confirm_before: null,
  })
  state.pendingCancellations.delete(booking.id)
}

/**
 * The steps both cancel routes share: the body's refusal, if any, answered as it is; scripted
 * faults (`scriptNext`, then the booking's offer's script; they change nothing, `bookThen`
 * apart); then the booking (guess: 404 when unknown), refused 422 when it is cancelled already
 * (cancel-repeat). Null when answered here; else the booking, the usual answer's status and
 * headers, and the body as the route checked it.
 */
export function cancellableBooking<Checked extends { ok: true }>(
  ex: Exchange,
  bookingId: string,
  checked: Checked | Refused
): { booking: StandInBooking; scripted: UsualAnswer; checked: Checked } | null {
  if (!checked.ok) {
    answerRefused(ex, checked)
    return null
  }
  const scripted = playScripted(ex, ex.record.offerId)
  if (!scripted) {
    return null
  }
  const booking = ex.state.bookings.get(bookingId)
  if (!booking) {
    answer(ex, 404, unknownBookingBody(), "unknown booking", scripted.headers)
    return null
  }
  if (booking.status === "CANCELLED") {
    const again = refused([ALREADY_CANCELLED])
    answer(
      ex,
      again.status,
      again.body,
      "booking already cancelled",
      scripted.headers
    )
    return null
  }
  return { booking, scripted, checked }
}

/**
 * Cancels the booking with these refunds, records that this request cancelled it, and answers
 * the cancelled booking with the route's usual status and headers.
 */
export function cancelAndAnswer(
  ex: Exchange,
  booking: StandInBooking,
  refunds: QuoteRefund[],
  usual: UsualAnswer
): void {
  cancelBooking(ex.state, booking, refunds)
  ex.record.cancelled = true
  return answer(ex, usual.status, booking, null, usual.headers)
}
