import { toast } from "@medusajs/ui"
import { useCancelXcoverBooking, type XcoverBooking } from "../lib/xcover-api"
import { ActionButton } from "./action-button"

/** Asks XCover again to cancel a policy whose cancellation failed (it previews the refund again). */
export function RetryCancellationButton({
  booking,
}: {
  booking: XcoverBooking
}) {
  const cancel = useCancelXcoverBooking()
  if (
    booking.cancellation?.status !== "failed" ||
    booking.booking_status === "CANCELLED"
  ) {
    return null
  }
  return (
    <ActionButton
      action={cancel}
      input={{ id: booking.id, retry: true }}
      onDone={({ booking: after }) => {
        const name = after.booking_id ?? after.offer_id
        if (after.booking_status === "CANCELLED") {
          toast.success(`Policy ${name} cancelled.`)
        } else if (after.cancellation?.status === "failed") {
          toast.error(
            `XCover still did not cancel policy ${name}: ${after.cancellation.last_error ?? "no message"}`
          )
        } else {
          toast.info(`Cancellation of policy ${name} queued again.`)
        }
      }}
    >
      Retry cancellation
    </ActionButton>
  )
}
