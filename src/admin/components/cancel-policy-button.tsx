import { Button, Prompt, Text, toast } from "@medusajs/ui"
import { useState } from "react"
import { formatMoney } from "../lib/money"
import {
  useCancelXcoverBooking,
  usePreviewXcoverCancellation,
  type CancellationPreview,
  type XcoverBooking,
} from "../lib/xcover-api"
import { formatTime } from "./offer-status-badge"
import { quoteLabel } from "./policy-cancellation"

/** A booked policy that XCover has not cancelled and no cancellation was asked for yet. */
export function canCancel(booking: XcoverBooking): boolean {
  return (
    booking.status === "booked" &&
    Boolean(booking.booking_id) &&
    booking.booking_status !== "CANCELLED" &&
    !booking.cancellation
  )
}

/**
 * "Cancel policy": asks XCover for its preview of the refund, shows it in a prompt with the
 * warning that this cannot be undone, and cancels only once the admin confirms.
 */
export function CancelPolicyButton({ booking }: { booking: XcoverBooking }) {
  const preview = usePreviewXcoverCancellation()
  const cancel = useCancelXcoverBooking()
  const [shown, setShown] = useState<CancellationPreview | null>(null)
  if (!canCancel(booking)) {
    return null
  }

  const ask = () =>
    preview.mutate(booking.id, {
      onSuccess: ({ preview: p }) => setShown(p),
      onError: (e) =>
        toast.error(
          `XCover gave no preview of this cancellation: ${e.message}`
        ),
    })

  const confirm = () =>
    cancel.mutate(
      { id: booking.id },
      {
        onSuccess: ({ booking: after }) => {
          setShown(null)
          if (after.booking_status === "CANCELLED") {
            const refund =
              after.total_refund === null
                ? ""
                : `: refund ${formatMoney(after.total_refund, after.currency)} to the shopper`
            toast.success(
              `Policy ${after.booking_id ?? after.offer_id} cancelled${refund}.`
            )
          } else if (after.cancellation?.status === "failed") {
            toast.error(
              `XCover did not cancel policy ${after.booking_id ?? after.offer_id}: ${after.cancellation.last_error ?? "no message"}`
            )
          } else {
            toast.info(
              `Cancellation of policy ${after.booking_id ?? after.offer_id} asked for; it is being sent to XCover.`
            )
          }
        },
        onError: (e) => {
          setShown(null)
          toast.error(e.message)
        },
      }
    )

  const currency = shown?.currency ?? booking.currency
  return (
    <>
      <Button
        size="small"
        variant="secondary"
        isLoading={preview.isPending}
        onClick={ask}
      >
        Cancel policy
      </Button>
      <Prompt
        open={shown !== null}
        onOpenChange={(open) => !open && !cancel.isPending && setShown(null)}
      >
        <Prompt.Content data-testid="xcover-cancel-prompt">
          <Prompt.Header>
            <Prompt.Title>Cancel policy {booking.booking_id}?</Prompt.Title>
            <Prompt.Description>
              XCover cancels this policy for good: this cannot be undone. Its
              preview of the refund:
            </Prompt.Description>
          </Prompt.Header>
          {shown && (
            <div className="flex flex-col gap-y-2 px-6 pt-4">
              <Text
                size="small"
                weight="plus"
                data-testid="xcover-cancel-preview-refund"
              >
                Refund: {formatMoney(shown.total_refund, currency)}
              </Text>
              {shown.quotes.length > 0 && (
                <ul
                  className="txt-small text-ui-fg-subtle flex flex-col gap-y-1"
                  data-testid="xcover-cancel-preview-quotes"
                >
                  {shown.quotes.map((q) => (
                    <li key={q.id}>
                      {quoteLabel(booking, q.id)}: refund{" "}
                      {formatMoney(q.refund_value, currency)}, fee{" "}
                      {formatMoney(q.adjustment_fee, currency)}
                    </li>
                  ))}
                </ul>
              )}
              <Text size="small" className="text-ui-fg-subtle">
                The plugin does not move money: once XCover has cancelled the
                policy, refund the shopper yourself (a refund on this
                order&apos;s payment, say).
                {shown.confirm_before
                  ? ` XCover holds this preview until ${formatTime(shown.confirm_before)}.`
                  : ""}
              </Text>
            </div>
          )}
          <Prompt.Footer>
            <Prompt.Cancel disabled={cancel.isPending}>
              Keep the policy
            </Prompt.Cancel>
            <Button
              size="small"
              variant="danger"
              isLoading={cancel.isPending}
              onClick={confirm}
            >
              Cancel the policy
            </Button>
          </Prompt.Footer>
        </Prompt.Content>
      </Prompt>
    </>
  )
}
