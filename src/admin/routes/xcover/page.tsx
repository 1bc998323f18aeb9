import { defineRouteConfig } from "@medusajs/admin-sdk"
import { ShieldCheck } from "@medusajs/icons"
import { Button, Container, Heading, Input, Label, Table, Text, toast, Toaster } from "@medusajs/ui"
import { useState } from "react"
import { formatTime, OfferStatusBadge } from "../../components/offer-status-badge"
import {
  dayRange,
  OFFER_STATUSES,
  orderPath,
  useRetryXcoverOffer,
  useRetryXcoverOffers,
  useXcoverOffers,
  useXcoverStats,
  type OfferStatus,
  type XcoverStats,
} from "../../lib/xcover-api"

const PAGE_SIZE = 20
const RETRYABLE: OfferStatus[] = ["failed", "rejected"]

const FIGURES: { key: keyof Omit<XcoverStats, "attach_rate" | "undecided">; label: string }[] = [
  { key: "shown", label: "Shown" },
  { key: "taken", label: "Taken" },
  { key: "opted_out", label: "Opted out" },
  { key: "pending", label: "Pending" },
  { key: "failed", label: "Failed" },
  { key: "rejected", label: "Rejected" },
]

function Figures({ range }: { range: { created_from?: string; created_to?: string } }) {
  const { data, error } = useXcoverStats(range)
  if (error) {
    return <Text>Could not load the figures: {error.message}</Text>
  }
  const stats = data?.stats
  const rate = stats?.attach_rate
  return (
    <div className="grid grid-cols-2 gap-4 md:grid-cols-7" data-testid="xcover-stats">
      {FIGURES.map((f) => (
        <div key={f.key} className="flex flex-col" data-testid={`stat-${f.key}`}>
          <Text size="small" className="text-ui-fg-subtle">
            {f.label}
          </Text>
          <Text size="xlarge" weight="plus">
            {stats ? stats[f.key] : "…"}
          </Text>
        </div>
      ))}
      <div className="flex flex-col" data-testid="stat-attach_rate">
        <Text size="small" className="text-ui-fg-subtle">
          Attach rate (taken / shown)
        </Text>
        <Text size="xlarge" weight="plus">
          {rate === undefined ? "…" : rate === null ? "–" : `${(rate * 100).toFixed(1)} %`}
        </Text>
      </div>
    </div>
  )
}

const XcoverLogPage = () => {
  const [statuses, setStatuses] = useState<OfferStatus[]>([])
  const [from, setFrom] = useState("")
  const [to, setTo] = useState("")
  const [offset, setOffset] = useState(0)
  const range = dayRange(from, to)
  const { data, isLoading, error } = useXcoverOffers({ status: statuses, ...range, limit: PAGE_SIZE, offset })
  const retry = useRetryXcoverOffer()
  const retryAll = useRetryXcoverOffers()
  const filters = { status: statuses, ...range }
  const count = data?.count ?? 0

  const toggle = (s: OfferStatus) => {
    setOffset(0)
    setStatuses(statuses.includes(s) ? statuses.filter((x) => x !== s) : [...statuses, s])
  }

  return (
    <div className="flex flex-col gap-y-3">
      <Toaster />
      <Container className="flex flex-col gap-y-4">
        <div>
          <Heading level="h1">XCover opt-outs</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Every insurance offer the storefront showed, and whether XCover was told it was declined.
          </Text>
        </div>
        <div className="flex flex-wrap items-end gap-4">
          <div className="flex flex-col gap-y-1">
            <Label htmlFor="xcover-from">Recorded from</Label>
            <Input id="xcover-from" type="date" value={from} onChange={(e) => (setOffset(0), setFrom(e.target.value))} />
          </div>
          <div className="flex flex-col gap-y-1">
            <Label htmlFor="xcover-to">to</Label>
            <Input id="xcover-to" type="date" value={to} onChange={(e) => (setOffset(0), setTo(e.target.value))} />
          </div>
        </div>
        <Figures range={range} />
      </Container>
      <Container className="flex flex-col gap-y-4 p-0">
        <div className="flex flex-wrap items-center justify-between gap-2 px-6 pt-4">
        <div className="flex flex-wrap gap-2" role="group" aria-label="Filter by status">
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
        {error && <Text className="px-6">Could not load the log: {error.message}</Text>}
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
                <Table.Cell className="font-mono text-xs">{o.offer_id}</Table.Cell>
                <Table.Cell>
                  <OfferStatusBadge status={o.status} />
                </Table.Cell>
                <Table.Cell>
                  {o.order_id ? (
                    <a className="text-ui-fg-interactive hover:underline" href={orderPath(o.order_id)}>
                      {o.order_id.slice(0, 16)}…
                    </a>
                  ) : (
                    "–"
                  )}
                </Table.Cell>
                <Table.Cell>{o.attempts}</Table.Cell>
                <Table.Cell className="max-w-xs truncate" title={o.last_error ?? undefined}>
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
                          onSuccess: ({ offer }) => toast.success(`Offer ${offer.offer_id} is now ${offer.status.replace("_", " ")}.`),
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
        {!isLoading && count === 0 && <Text className="px-6 pb-4">No offers match these filters.</Text>}
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
    </div>
  )
}

export const config = defineRouteConfig({ label: "XCover opt-outs", icon: ShieldCheck })

export default XcoverLogPage
