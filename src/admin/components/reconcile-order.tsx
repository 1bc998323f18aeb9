import { Alert, Button, Heading, Text } from "@medusajs/ui"
import {
  useReconcileXcoverOrder,
  type Reconciliation,
  type XcoverBooking,
} from "../lib/xcover-api"
import { reasonLabel } from "./cancellation-badge"

type Found = { variant: "success" | "warning" | "error"; lines: string[] }

/** What one reconciliation found and did, in the merchant's words. */
export function describeReconciliation(
  r: Reconciliation,
  bookings: XcoverBooking[]
): Found {
  if (r.failed.length) {
    return {
      variant: "error",
      lines: [
        "The reconciliation of this order failed (the server log says why); the reconciler tries it again at every run.",
      ],
    }
  }
  const lines: string[] = []
  if (r.decided.length) {
    lines.push(
      "Offers decided late: the order's opt-outs and bookings were written now."
    )
  }
  for (const repair of r.repaired) {
    // The cancellation went out at once: say where it stands now.
    const after = bookings.find((b) => b.offer_id === repair.offer_id)
    const now =
      after?.booking_status === "CANCELLED"
        ? "cancelled at XCover"
        : after?.cancellation
          ? `cancellation ${after.cancellation.status}`
          : null
    lines.push(
      `Cancellation asked for: ${repair.offer_id} (${reasonLabel(repair.reason).short})${now ? `: ${now}` : ""}.`
    )
  }
  return lines.length
    ? { variant: "warning", lines }
    : { variant: "success", lines: ["Books match: nothing to do."] }
}

/**
 * The widget's header with "Reconcile now": compares the order with its policies at once (what
 * the reconciler does after every order event and in its passes) and shows what it found and did.
 */
export function ReconcileOrderHeader({ orderId }: { orderId: string }) {
  const reconcile = useReconcileXcoverOrder()
  const found = reconcile.data
    ? describeReconciliation(
        reconcile.data.reconciliation,
        reconcile.data.bookings
      )
    : null
  return (
    <div className="flex flex-col gap-y-3 px-6 py-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Heading level="h2">XCover insurance</Heading>
        <Button
          size="small"
          variant="secondary"
          isLoading={reconcile.isPending}
          onClick={() => reconcile.mutate(orderId)}
        >
          Reconcile now
        </Button>
      </div>
      {reconcile.error && (
        <Alert
          variant="error"
          data-testid="xcover-reconcile-result"
          data-result="error"
        >
          <Text size="small">
            Could not reconcile this order: {reconcile.error.message}
          </Text>
        </Alert>
      )}
      {found && !reconcile.error && (
        <Alert
          variant={found.variant}
          data-testid="xcover-reconcile-result"
          data-result={found.variant}
        >
          {found.lines.map((line) => (
            <Text key={line} size="small">
              {line}
            </Text>
          ))}
        </Alert>
      )}
    </div>
  )
}
