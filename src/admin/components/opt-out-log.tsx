import { Button, Container, Heading, Table, Text, toast } from "@medusajs/ui"
import { useState } from "react"
import {
  OFFER_STATUSES,
  useRetryXcoverOffer,
  useRetryXcoverOffers,
  useXcoverOffers,
  type OfferStatus,
} from "../lib/xcover-api"
import { formatTime, OfferStatusBadge } from "./offer-status-badge"
import { OrderLink } from "./order-link"

const PAGE_SIZE = 20
const RETRYABLE: OfferStatus[] = ["failed", "rejected"]

/** Every recorded offer, newest first, filtered by status and the page's days; retry by row or in bulk. */
export function OptOutLog({
  range,
}: {
  range: { created_from?: string; created_to?: string }
}) {
  const [statuses, setStatuses] = useState<OfferStatus[]>([])
  const [offset, setOffset] = useState(0)
  const { data, isLoading, error } = useXcoverOffers({
    status: statuses,
    ...range,
    limit: PAGE_SIZE,
    offset,
  })
  const retry = useRetryXcoverOffer()
  const retryAll = useRetryXcoverOffers()
  const filters = { status: statuses, ...range }
  const count = data?.count ?? 0
  // The days changed: back to the first page (a render-time reset, as React suggests over an effect).
  const [rangeKey, setRangeKey] = useState(JSON.stringify(range))
  if (rangeKey !== JSON.stringify(range)) {
    setRangeKey(JSON.stringify(range))
    setOffset(0)
  }

  const toggle = (s: OfferStatus) => {
    setOffset(0)
    setStatuses(
      statuses.includes(s) ? statuses.filter((x) => x !== s) : [...statuses, s]
    )
  }

  return (
    <Container
      className="flex flex-col gap-y-4 p-0"
      data-testid="xcover-opt-out-section"
    >
      <div className="px-6 pt-4">
        <Heading level="h2">Opt-outs</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          Every insurance offer the storefront showed, and whether XCover was
          told it was declined.
        </Text>
      </div>
      <div className="flex flex-wrap items-center justify-between gap-2 px-6">
        <div
          className="flex flex-wrap gap-2"
          role="group"
          aria-label="Filter by status"
        >
          {OFFER_STATUSES.map((s) => (
            <Button
              key={s}
              size="small"
              variant={statuses.includes(s) ? "primary" : "secondary"}
              aria-pressed={statuses.includes(s)}
              onClick={() => toggle(s)}
            >
              {s.replace("_", " ")}
            </Button>
          ))}
        </div>
        <Button
          size="small"
          variant="secondary"
          isLoading={retryAll.isPending}
          onClick={() =>
            retryAll.mutate(filters, {
              onSuccess: ({ requeued }) =>
                toast.success(
                  requeued
                    ? `${requeued} ${requeued === 1 ? "offer" : "offers"} queued again; the dispatch job sends them within a minute.`
                    : "No failed or rejected offers in this filter."
                ),
              onError: (e) => toast.error(e.message),
            })
          }
        >
          Retry failed and rejected in this filter
        </Button>
      </div>
      {error && (
        <Text className="px-6">Could not load the log: {error.message}</Text>
      )}
      <Table data-testid="xcover-log">
        <Table.Header>
          <Table.Row>
            <Table.HeaderCell>Offer</Table.HeaderCell>
            <Table.HeaderCell>Status</Table.HeaderCell>
            <Table.HeaderCell>Order</Table.HeaderCell>
            <Table.HeaderCell>Attempts</Table.HeaderCell>
            <Table.HeaderCell>Last error</Table.HeaderCell>
            <Table.HeaderCell>Recorded</Table.HeaderCell>
            <Table.HeaderCell>Last attempt</Table.HeaderCell>
            <Table.HeaderCell>Next attempt</Table.HeaderCell>
            <Table.HeaderCell />
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {(data?.offers ?? []).map((o) => (
            <Table.Row key={o.id} data-offer-id={o.offer_id}>
              <Table.Cell className="font-mono text-xs">
                {o.offer_id}
              </Table.Cell>
              <Table.Cell>
                <OfferStatusBadge status={o.status} />
              </Table.Cell>
              <Table.Cell>
                <OrderLink orderId={o.order_id} />
              </Table.Cell>
              <Table.Cell>{o.attempts}</Table.Cell>
              <Table.Cell
                className="max-w-xs truncate"
                title={o.last_error ?? undefined}
              >
                {o.last_error ?? "–"}
              </Table.Cell>
              <Table.Cell>{formatTime(o.created_at)}</Table.Cell>
              <Table.Cell>{formatTime(o.last_attempt_at)}</Table.Cell>
              <Table.Cell>{formatTime(o.next_attempt_at)}</Table.Cell>
              <Table.Cell>
                {RETRYABLE.includes(o.status) && (
                  <Button
                    size="small"
                    variant="secondary"
                    isLoading={retry.isPending && retry.variables === o.id}
                    onClick={() =>
                      retry.mutate(o.id, {
                        onSuccess: ({ offer }) =>
                          toast.success(
                            `Offer ${offer.offer_id} is now ${offer.status.replace("_", " ")}.`
                          ),
                        onError: (e) => toast.error(e.message),
                      })
                    }
                  >
                    Retry
                  </Button>
                )}
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
      {!isLoading && count === 0 && (
        <Text className="px-6 pb-4">No offers match these filters.</Text>
      )}
      <Table.Pagination
        count={count}
        pageSize={PAGE_SIZE}
        pageIndex={Math.floor(offset / PAGE_SIZE)}
        pageCount={Math.max(1, Math.ceil(count / PAGE_SIZE))}
        canPreviousPage={offset > 0}
        canNextPage={offset + PAGE_SIZE < count}
        previousPage={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
        nextPage={() => setOffset(offset + PAGE_SIZE)}
      />
    </Container>
  )
}
