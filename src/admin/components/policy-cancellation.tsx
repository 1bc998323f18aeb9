import { Alert, Text } from "@medusajs/ui"
import { formatMoney } from "../lib/money"
import type { XcoverBooking } from "../lib/xcover-api"
import { cancellationReason, cancellationState } from "./cancellation-badge"
import { formatTime } from "./offer-status-badge"
import { RetryCancellationButton } from "./retry-cancellation-button"

/** The name of a quote's plan (refunds list quotes by id). */
export function quoteLabel(booking: XcoverBooking, quoteId: string): string {
  return booking.quotes.find((q) => q.id === quoteId)?.policy_name ?? quoteId
}

/**
 * A policy's cancellation on the order page: once cancelled, the refund XCover computed (which
 * the merchant pays back: the plugin moves no money), why and when; while under way,
 * "Cancelling…"; when XCover did not cancel it, its answer and a retry.
 */
export function PolicyCancellation({ booking }: { booking: XcoverBooking }) {
  const b = booking
  const state = cancellationState(b)
  if (!state) {
    return null
  }
  const why = cancellationReason(b).long

  if (state === "cancelled") {
    const refunds = b.refund ?? []
    return (
      <div
        className="bg-ui-bg-subtle flex flex-col gap-y-1 rounded-md border px-4 py-3"
        data-testid="xcover-cancellation"
        data-cancellation="cancelled"
      >
        <Text size="small" weight="plus">
          Policy cancelled
          {b.cancelled_at ? ` on ${formatTime(b.cancelled_at)},` : ""} {why}.
        </Text>
        {b.total_refund !== null ? (
          <Text size="small" weight="plus" data-testid="xcover-refund">
            Refund to pay back to the shopper:{" "}
            {formatMoney(b.total_refund, b.currency)}
          </Text>
        ) : (
          <Text size="small" data-testid="xcover-refund">
            XCover gave no refund amount for this cancellation.
          </Text>
        )}
        {refunds.length > 0 &&
          (refunds.length > 1 || refunds.some((r) => r.adjustment_fee)) && (
            <ul className="txt-small text-ui-fg-subtle">
              {refunds.map((r) => (
                <li key={r.id}>
                  {quoteLabel(b, r.id)}: refund{" "}
                  {formatMoney(r.refund_value, b.currency)}, fee{" "}
                  {formatMoney(r.adjustment_fee, b.currency)}
                </li>
              ))}
            </ul>
          )}
        <Text size="small" className="text-ui-fg-subtle">
          XCover computed this refund. The plugin does not move money: refund
          the shopper yourself (a refund on the order&apos;s payment, say).
        </Text>
      </div>
    )
  }

  const c = b.cancellation!
  if (state === "failed") {
    return (
      <Alert
        variant="error"
        data-testid="xcover-cancellation"
        data-cancellation="failed"
      >
        <div className="flex flex-col gap-y-2">
          <Text size="small" weight="plus">
            XCover did not cancel this policy: it is still in force. Asked for
            on {formatTime(c.requested_at)}, {why}; {c.attempts} attempt
            {c.attempts === 1 ? "" : "s"}.
          </Text>
          <Text size="small" data-testid="xcover-cancellation-error">
            {c.last_error ?? "No message."}
          </Text>
          <div>
            <RetryCancellationButton booking={b} />
          </div>
        </div>
      </Alert>
    )
  }

  return (
    <div
      className="flex flex-col gap-y-1"
      data-testid="xcover-cancellation"
      data-cancellation={state}
    >
      <Text size="small" weight="plus">
        Cancelling… asked for on {formatTime(c.requested_at)}, {why}.
      </Text>
      {b.status !== "booked" && (
        <Text size="small" className="text-ui-fg-subtle">
          The policy is cancelled as soon as XCover has booked it.
        </Text>
      )}
      {c.last_error && (
        <Text size="small" className="text-ui-fg-subtle">
          Last try: {c.last_error}
        </Text>
      )}
    </div>
  )
}
