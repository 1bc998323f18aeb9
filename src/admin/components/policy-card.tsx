import { Alert, Text } from "@medusajs/ui"
import type { ReactNode } from "react"
import { formatMoney } from "../lib/money"
import type { XcoverBooking } from "../lib/xcover-api"
import { BookingStatusBadge } from "./booking-status-badge"
import { CancelPolicyButton } from "./cancel-policy-button"
import { CancellationBadge, cancellationState } from "./cancellation-badge"
import { formatTime } from "./offer-status-badge"
import { PolicyCancellation } from "./policy-cancellation"
import { PolicyLinks } from "./policy-links"
import { PriceMismatchBadge } from "./price-mismatch-badge"
import { ReportedDrift } from "./reported-drift"
import {
  DeclineBookingButton,
  RetryBookingButton,
} from "./retry-booking-button"

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <Text size="small" leading="compact" className="text-ui-fg-subtle">
        {label}
      </Text>
      <Text size="small" leading="compact">
        {children}
      </Text>
    </>
  )
}

/** The plan names of the booked quotes (one per covered product). */
export function planNames(booking: XcoverBooking): string {
  const names = booking.quotes
    .map((q) => q.policy_name)
    .filter((n): n is string => Boolean(n))
  return names.length ? [...new Set(names)].join(", ") : "–"
}

/** One booking on the order page: the policy, or why XCover did not book it yet. */
export function PolicyCard({ booking }: { booking: XcoverBooking }) {
  const b = booking
  const cancelled = cancellationState(b) === "cancelled"
  return (
    <div
      className="flex flex-col gap-y-3 px-6 py-4"
      data-testid="xcover-policy"
      data-booking-offer-id={b.offer_id}
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <Text
            weight="plus"
            className="font-mono"
            data-testid="xcover-policy-number"
          >
            {b.booking_id ?? "No policy number yet"}
          </Text>
          {/* A cancelled policy shows as such; while it is being cancelled, both. */}
          {!cancelled && <BookingStatusBadge status={b.status} />}
          <CancellationBadge booking={b} />
          <PriceMismatchBadge booking={b} />
        </div>
        <div className="flex gap-2">
          <RetryBookingButton booking={b} />
          <DeclineBookingButton booking={b} />
          <CancelPolicyButton booking={b} />
        </div>
      </div>
      <div className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-1">
        <Field label="Plan">{planNames(b)}</Field>
        <Field label="Price">
          {b.total_price !== null
            ? `${formatMoney(b.total_price, b.currency)} (premium ${formatMoney(b.total_premium, b.currency)}, tax ${formatMoney(b.total_tax, b.currency)})`
            : `${formatMoney(b.charged_amount, b.charged_currency)} charged`}
        </Field>
        {b.booking_status && (
          <Field label="XCover status">{b.booking_status}</Field>
        )}
        <Field label="Offer">
          <span className="font-mono">{b.offer_id}</span>
        </Field>
        <Field label={b.status === "booked" ? "Booked" : "Attempts"}>
          {b.status === "booked" ? formatTime(b.completed_at) : b.attempts}
        </Field>
      </div>
      <ReportedDrift booking={b} />
      <PolicyCancellation booking={b} />
      {b.status === "failed" && (
        <Alert variant="error" data-testid="xcover-booking-error">
          <Text size="small" weight="plus">
            XCover did not book this cover
            {b.last_status ? ` (HTTP ${b.last_status})` : ""}. The shopper paid
            for it: fix the cause, then retry.
          </Text>
          <Text size="small">{b.last_error ?? "No message."}</Text>
        </Alert>
      )}
      {(b.status === "retrying" ||
        b.status === "pending" ||
        b.status === "sending") &&
        b.last_error && (
          <Text size="small" className="text-ui-fg-subtle">
            Last try: {b.last_error}
          </Text>
        )}
      <PolicyLinks booking={b} />
    </div>
  )
}
