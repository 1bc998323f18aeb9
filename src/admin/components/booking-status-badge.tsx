import { StatusBadge } from "@medusajs/ui"
import type { BookingStatus } from "../lib/xcover-api"

const LOOK: Record<
  BookingStatus,
  { color: "green" | "red" | "blue" | "orange" | "grey"; label: string }
> = {
  pending: { color: "blue", label: "Pending" },
  sending: { color: "blue", label: "Sending" },
  retrying: { color: "orange", label: "Retrying" },
  booked: { color: "green", label: "Booked" },
  failed: { color: "red", label: "Failed" },
  held: { color: "orange", label: "Held for review" },
  declined: { color: "grey", label: "Declined" },
}

export function BookingStatusBadge({ status }: { status: BookingStatus }) {
  const look = LOOK[status]
  return (
    <StatusBadge color={look.color} data-status={status}>
      {look.label}
    </StatusBadge>
  )
}
