import { Button, toast } from "@medusajs/ui"
import { useRetryXcoverBooking, type XcoverBooking } from "../lib/xcover-api"

const OUTCOME: Record<XcoverBooking["status"], string> = {
  booked: "booked",
  failed: "still failed",
  pending: "queued again",
  sending: "being sent",
  retrying: "retrying",
}

/** Confirms a failed booking again (same idempotency key: XCover never books it twice). */
export function RetryBookingButton({ booking }: { booking: XcoverBooking }) {
  const retry = useRetryXcoverBooking()
  if (booking.status !== "failed") {
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
            after.status === "failed" ? toast.error(message) : toast.success(message)
          },
          onError: (e) => toast.error(e.message),
        })
      }
    >
      Retry
    </Button>
  )
}
