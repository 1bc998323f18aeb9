// Get Booking (`GET bookings/{booking}/`): the stored booking as it stands (after a cancellation,
// as the cancellation left it: a guess, see `cancelBooking`).
import { unknownBookingBody } from "../errors"
import { answer, type Exchange } from "../exchange"
import { playScripted } from "../scripted"

/** Get Booking, once signature and partner are checked; `scriptNext` applies, per-offer scripts do not. */
export function handleGetBooking(ex: Exchange, bookingId: string): void {
  const scripted = playScripted(ex, null)
  if (!scripted) {
    return
  }
  const booking = ex.state.bookings.get(bookingId)
  if (!booking) {
    // Guess: no capture of Get Booking's 404.
    return answer(
      ex,
      404,
      unknownBookingBody(),
      "unknown booking",
      scripted.headers
    )
  }
  return answer(ex, scripted.status, booking, null, scripted.headers)
}
