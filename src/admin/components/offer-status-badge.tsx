import { StatusBadge } from "@medusajs/ui"
import type { OfferStatus } from "../lib/xcover-api"

const LOOK: Record<
  OfferStatus,
  {
    color: "green" | "red" | "blue" | "orange" | "grey" | "purple"
    label: string
  }
> = {
  shown: { color: "grey", label: "Shown" },
  selected: { color: "purple", label: "Taken" },
  pending: { color: "blue", label: "Pending" },
  sending: { color: "blue", label: "Sending" },
  retrying: { color: "orange", label: "Retrying" },
  opted_out: { color: "green", label: "Opted out" },
  rejected: { color: "red", label: "Rejected" },
  failed: { color: "red", label: "Failed" },
}

export function OfferStatusBadge({ status }: { status: OfferStatus }) {
  const look = LOOK[status]
  return (
    <StatusBadge color={look.color} data-status={status}>
      {look.label}
    </StatusBadge>
  )
}

export function formatTime(value: string | null): string {
  return value ? new Date(value).toLocaleString() : "–"
}
