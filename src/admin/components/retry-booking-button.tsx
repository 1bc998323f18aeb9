import { toast } from "@medusajs/ui"
import {
  useDeclineXcoverBooking,
  useRetryXcoverBooking,
  type XcoverBooking,
} from "../lib/xcover-api"
import { ActionButton } from "./action-button"

const OUTCOME: Record<XcoverBooking["status"], string> = {
  booked: "booked",
  failed: "still failed",
  pending: "queued again",
  sending: "being sent",
  retrying: "retrying",
  held: "still held",
  declined: "declined",
}

/**
 * Confirms a failed booking again (same idempotency key: XCover never books it twice), or books
 * one held for review.
 */
export function RetryBookingButton({ booking }: { booking: XcoverBooking }) {
  const retry = useRetryXcoverBooking()
  if (booking.status !== "failed" && booking.status !== "held") {
    return null
  }
  return (
    <ActionButton
      action={retry}
      input={booking.id}
      onDone={({ booking: after }) => {
        const message = `Booking of offer ${after.offer_id}: ${OUTCOME[after.status]}${after.booking_id ? ` (policy ${after.booking_id})` : ""}.`
        if (after.status === "failed") {
          toast.error(message)
        } else {
          toast.success(message)
        }
      }}
    >
      {booking.status === "held" ? "Book" : "Retry"}
    </ActionButton>
  )
}

/** Declines a booking held for review: no policy; the offer is opted out. */
export function DeclineBookingButton({ booking }: { booking: XcoverBooking }) {
  const decline = useDeclineXcoverBooking()
  if (booking.status !== "held") {
    return null
  }
  return (
    <ActionButton
      action={decline}
      input={booking.id}
      onDone={({ booking: after }) =>
        toast.success(
          `Booking of offer ${after.offer_id} declined: the offer is opted out.`
        )
      }
    >
      Decline
    </ActionButton>
  )
}
