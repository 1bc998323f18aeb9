import { Badge, Text } from "@medusajs/ui"
import { formatMoney } from "../lib/money"
import type { XcoverBooking } from "../lib/xcover-api"
import { formatTime } from "./offer-status-badge"

/** Each difference XCover's last read-back reported, with both values: XCover's first, then the ledger's. */
export function reportedDifferences(booking: XcoverBooking): string[] {
  const r = booking.reported
  if (!r) {
    return []
  }
  return r.differs.map((kind) =>
    kind === "status"
      ? // Only reported while the ledger has the policy cancelled (ledger/reported-drift.ts).
        `XCover: ${r.status ?? "no status"} · store: cancelled`
      : `XCover: ${formatMoney(r.total_price, r.currency)} · booked: ${formatMoney(booking.total_price, booking.currency)}`
  )
}

/**
 * A policy XCover reports differently from the ledger (not applied: a person looks), with both
 * values and when XCover said so. `compact` for the log's table.
 */
export function ReportedDrift({
  booking,
  compact = false,
}: {
  booking: XcoverBooking
  compact?: boolean
}) {
  const differences = reportedDifferences(booking)
  if (!differences.length || !booking.reported) {
    return null
  }
  const when = `read back ${formatTime(booking.reported.reported_at)}`
  return (
    <div
      className="flex flex-col items-start gap-1"
      data-testid="xcover-reported"
      data-differs={booking.reported.differs.join(",")}
    >
      {differences.map((d) => (
        <Badge
          key={d}
          size="2xsmall"
          color="red"
          className="h-auto whitespace-normal py-0.5"
        >
          {d}
        </Badge>
      ))}
      <Text size="xsmall" className="text-ui-fg-subtle">
        {compact
          ? when
          : `XCover reports this policy differently from the store (${when}); nothing was changed here: check it with XCover.`}
      </Text>
    </div>
  )
}
