import { StatusBadge } from "@medusajs/ui"
import type { XcoverBooking } from "../lib/xcover-api"

/**
 * Where a policy's cancellation stands: `cancelled` (XCover says CANCELLED, whoever cancelled
 * it), `cancelling` (asked for, not done yet), `failed` (XCover did not cancel it), or null.
 */
export type CancellationState =
  "cancelled" | "cancelling" | "retrying" | "failed"

export function cancellationState(
  booking: XcoverBooking
): CancellationState | null {
  if (
    booking.booking_status === "CANCELLED" ||
    booking.cancellation?.status === "cancelled"
  ) {
    return "cancelled"
  }
  switch (booking.cancellation?.status) {
    case "pending":
    case "sending":
      return "cancelling"
    case "retrying":
      return "retrying"
    case "failed":
      return "failed"
    default:
      return null
  }
}

const REASONS: Record<string, { long: string; short: string }> = {
  order_canceled: {
    long: "because the order was cancelled",
    short: "order cancelled",
  },
  returned: { long: "because the cover was returned", short: "cover returned" },
  order_edited: {
    long: "because an order edit removed the cover",
    short: "edited away",
  },
  admin: { long: "by hand in the admin", short: "by hand" },
}

/**
 * Why the policy is (being) cancelled, to follow "cancelled on <date>": `long` on the order
 * page, `short` in the log. No cancellation of the plugin's: XCover's webhook said it is
 * cancelled (the customer, through the policy's cancel link, or XCover).
 */
export function cancellationReason(booking: XcoverBooking): {
  long: string
  short: string
} {
  const reason = booking.cancellation?.reason
  if (!reason) {
    return { long: "at XCover (by the customer or XCover)", short: "at XCover" }
  }
  return reasonLabel(reason)
}

/** A cancellation's reason in words (the reconciler's repairs name theirs too). */
export function reasonLabel(reason: string): { long: string; short: string } {
  return REASONS[reason] ?? { long: reason, short: reason }
}

const LOOK: Record<
  CancellationState,
  { color: "grey" | "red" | "blue" | "orange"; label: string }
> = {
  cancelled: { color: "grey", label: "Cancelled" },
  cancelling: { color: "blue", label: "Cancelling…" },
  retrying: { color: "orange", label: "Cancelling… (retrying)" },
  failed: { color: "red", label: "Cancellation failed" },
}

export function CancellationBadge({ booking }: { booking: XcoverBooking }) {
  const state = cancellationState(booking)
  if (!state) {
    return null
  }
  const look = LOOK[state]
  return (
    <StatusBadge
      color={look.color}
      data-testid="xcover-cancellation-badge"
      data-cancellation={state}
    >
      {look.label}
    </StatusBadge>
  )
}
