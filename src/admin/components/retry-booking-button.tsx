import { Button, toast } from "@medusajs/ui"
import {
  useDeclineXcoverBooking,
  useRetryXcoverBooking,
  type XcoverBooking,
} from "../lib/xcover-api"

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
    <Button
      size="small"
      variant="secondary"
      isLoading={retry.isPending}
      onClick={() =>
        retry.mutate(booking.id, {
          onSuccess: ({ booking: after }) => {
            const message = `Booking of offer ${after.offer_id}: ${OUTCOME[after.status]}${after.booking_id ? ` (policy ${after.booking_id})` : ""}.`
            if (after.status === "failed") {
              toast.error(message)
            } else {
              toast.success(message)
            }
          },
          onError: (e) => toast.error(e.message),
        })
      }
    >
      {booking.status === "held" ? "Book" : "Retry"}
    </Button>
  )
}

/** Declines a booking held for review: no policy; the offer is opted out. */
export function DeclineBookingButton({ booking }: { booking: XcoverBooking }) {
  const decline = useDeclineXcoverBooking()
  if (booking.status !== "held") {
    return null
  }
  return (
    <Button
      size="small"
      variant="secondary"
      isLoading={decline.isPending}
      onClick={() =>
        decline.mutate(booking.id, {
          onSuccess: ({ booking: after }) =>
            toast.success(
              `Booking of offer ${after.offer_id} declined: the offer is opted out.`
            ),
          onError: (e) => toast.error(e.message),
        })
      }
    >
      Decline
    </Button>
  )
}
