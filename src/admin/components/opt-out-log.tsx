import { toast } from "@medusajs/ui"
import {
  OFFER_STATUSES,
  useRetryXcoverOffer,
  useRetryXcoverOffers,
  useXcoverOffers,
  type OfferStatus,
  type XcoverOffer,
} from "../lib/xcover-api"
import { ActionButton } from "./action-button"
import { formatTime, OfferStatusBadge } from "./offer-status-badge"
import { OrderLink } from "./order-link"
import {
  attemptColumns,
  OutboxLog,
  useLogFilter,
  type LogColumn,
} from "./outbox-log"

const RETRYABLE: OfferStatus[] = ["failed", "rejected"]

/** Queues a failed or rejected offer's opt-out again. */
function RetryOfferButton({ offer }: { offer: XcoverOffer }) {
  const retry = useRetryXcoverOffer()
  if (!RETRYABLE.includes(offer.status)) {
    return null
  }
  return (
    <ActionButton
      action={retry}
      input={offer.id}
      onDone={({ offer: after }) =>
        toast.success(
          `Offer ${after.offer_id} is now ${after.status.replace("_", " ")}.`
        )
      }
    >
      Retry
    </ActionButton>
  )
}

const COLUMNS: LogColumn<XcoverOffer>[] = [
  { header: "Offer", className: "font-mono text-xs", cell: (o) => o.offer_id },
  {
    header: "Status",
    cell: (o) => <OfferStatusBadge status={o.status} />,
  },
  { header: "Order", cell: (o) => <OrderLink orderId={o.order_id} /> },
  ...attemptColumns<XcoverOffer>(),
  { header: "Recorded", cell: (o) => formatTime(o.created_at) },
  { header: "Last attempt", cell: (o) => formatTime(o.last_attempt_at) },
  { header: "Next attempt", cell: (o) => formatTime(o.next_attempt_at) },
  { header: "", cell: (o) => <RetryOfferButton offer={o} /> },
]

/** Every recorded offer, newest first, filtered by status and the page's days; retry by row or in bulk. */
export function OptOutLog({
  range,
}: {
  range: { created_from?: string; created_to?: string }
}) {
  const filter = useLogFilter<OfferStatus>({
    multiple: true,
    resetKey: JSON.stringify(range),
  })
  const filters = { status: filter.statuses, ...range }
  const { data, isLoading, error } = useXcoverOffers({
    ...filters,
    limit: filter.limit,
    offset: filter.offset,
  })
  const retryAll = useRetryXcoverOffers()

  return (
    <OutboxLog
      testIds={{ section: "xcover-opt-out-section", table: "xcover-log" }}
      heading="Opt-outs"
      description="Every insurance offer the storefront showed, and whether XCover was told it was declined."
      statuses={OFFER_STATUSES}
      filterLabel="Filter by status"
      filter={filter}
      actions={
        <ActionButton
          action={retryAll}
          input={filters}
          onDone={({ requeued }) =>
            toast.success(
              requeued
                ? `${requeued} ${requeued === 1 ? "offer" : "offers"} queued again; the dispatch job sends them within a minute.`
                : "No failed or rejected offers in this filter."
            )
          }
        >
          Retry failed and rejected in this filter
        </ActionButton>
      }
      data={data && { rows: data.offers, count: data.count }}
      isLoading={isLoading}
      error={error}
      errorText="Could not load the log"
      columns={COLUMNS}
      rowData={(o) => ({ "data-offer-id": o.offer_id })}
      emptyText="No offers match these filters."
    />
  )
}
