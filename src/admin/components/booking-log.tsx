import { Button, Container, Heading, Table, Text } from "@medusajs/ui"
import { useState } from "react"
import { formatMoney } from "../lib/money"
import {
  BOOKING_STATUSES,
  useXcoverBookings,
  type BookingStatus,
  type XcoverBooking,
} from "../lib/xcover-api"
import { BookingStatusBadge } from "./booking-status-badge"
import {
  CancellationBadge,
  cancellationReason,
  cancellationState,
} from "./cancellation-badge"
import { formatTime } from "./offer-status-badge"
import { OrderLink } from "./order-link"
import { planNames } from "./policy-card"
import { PriceMismatchBadge } from "./price-mismatch-badge"
import { ReportedDrift } from "./reported-drift"
import {
  DeclineBookingButton,
  RetryBookingButton,
} from "./retry-booking-button"
import { RetryCancellationButton } from "./retry-cancellation-button"

const PAGE_SIZE = 20

/** A booking's cancellation in the list: its state, why, and once cancelled the refund XCover computed. */
function CancellationCell({ booking }: { booking: XcoverBooking }) {
  const state = cancellationState(booking)
  if (!state) {
    return <>–</>
  }
  const c = booking.cancellation
  return (
    <div
      className="flex flex-col items-start gap-1"
      data-testid="xcover-booking-cancellation"
      data-cancellation={state}
    >
      <CancellationBadge booking={booking} />
      <Text size="xsmall" className="whitespace-nowrap">
        {state === "cancelled" && booking.total_refund !== null ? (
          <span className="font-medium">
            Refund {formatMoney(booking.total_refund, booking.currency)} ·{" "}
          </span>
        ) : null}
        {cancellationReason(booking).short}
      </Text>
      {state === "cancelled" && booking.cancelled_at && (
        <Text size="xsmall" className="text-ui-fg-subtle whitespace-nowrap">
          {formatTime(booking.cancelled_at)}
        </Text>
      )}
      {state !== "cancelled" && c?.last_error && (
        <Text
          size="xsmall"
          className="text-ui-fg-subtle max-w-xs truncate"
          title={c.last_error}
        >
          {c.last_error}
        </Text>
      )}
    </div>
  )
}

/** Bookings of taken offers, newest first: the policy, or why XCover did not book it. All dates. */
export function BookingLog() {
  const [status, setStatus] = useState<BookingStatus | undefined>(undefined)
  const [offset, setOffset] = useState(0)
  const { data, isLoading, error } = useXcoverBookings({
    status,
    limit: PAGE_SIZE,
    offset,
  })
  const count = data?.count ?? 0

  const choose = (s: BookingStatus) => {
    setOffset(0)
    setStatus(status === s ? undefined : s)
  }

  return (
    <Container
      className="flex flex-col gap-y-4 p-0"
      data-testid="xcover-booking-section"
    >
      <div className="px-6 pt-4">
        <Heading level="h2">Bookings</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          Every offer a shopper took, the policy XCover booked for it and its
          cancellation, if any, with the refund XCover computed (all dates: the
          days above do not apply).
        </Text>
      </div>
      <div
        className="flex flex-wrap gap-2 px-6"
        role="group"
        aria-label="Filter bookings by status"
      >
        {BOOKING_STATUSES.map((s) => (
          <Button
            key={s}
            size="small"
            variant={status === s ? "primary" : "secondary"}
            aria-pressed={status === s}
            onClick={() => choose(s)}
          >
            {s}
          </Button>
        ))}
      </div>
      {error && (
        <Text className="px-6">
          Could not load the bookings: {error.message}
        </Text>
      )}
      <Table data-testid="xcover-booking-log">
        <Table.Header>
          <Table.Row>
            <Table.HeaderCell>Policy</Table.HeaderCell>
            <Table.HeaderCell>Status</Table.HeaderCell>
            <Table.HeaderCell>Order</Table.HeaderCell>
            <Table.HeaderCell>Plan</Table.HeaderCell>
            <Table.HeaderCell>Price</Table.HeaderCell>
            <Table.HeaderCell>Cancellation</Table.HeaderCell>
            <Table.HeaderCell>Attempts</Table.HeaderCell>
            <Table.HeaderCell>Last error</Table.HeaderCell>
            <Table.HeaderCell>Ordered</Table.HeaderCell>
            <Table.HeaderCell />
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {(data?.bookings ?? []).map((b) => (
            <Table.Row key={b.id} data-booking-offer-id={b.offer_id}>
              <Table.Cell>
                <div className="whitespace-nowrap font-mono text-xs">
                  {b.booking_id ?? "–"}
                </div>
                <div className="text-ui-fg-subtle font-mono text-xs">
                  {b.offer_id}
                </div>
              </Table.Cell>
              <Table.Cell>
                <div className="flex flex-col items-start gap-1">
                  <BookingStatusBadge status={b.status} />
                  <ReportedDrift booking={b} compact />
                </div>
              </Table.Cell>
              <Table.Cell>
                <OrderLink orderId={b.order_id} />
              </Table.Cell>
              <Table.Cell>{planNames(b)}</Table.Cell>
              <Table.Cell>
                <div className="flex flex-col items-start gap-1">
                  {b.total_price !== null
                    ? formatMoney(b.total_price, b.currency)
                    : formatMoney(b.charged_amount, b.charged_currency)}
                  <PriceMismatchBadge booking={b} />
                </div>
              </Table.Cell>
              <Table.Cell>
                <CancellationCell booking={b} />
              </Table.Cell>
              <Table.Cell>{b.attempts}</Table.Cell>
              <Table.Cell
                className="max-w-xs truncate"
                title={b.last_error ?? undefined}
              >
                {b.last_error ?? "–"}
              </Table.Cell>
              <Table.Cell>{formatTime(b.decided_at)}</Table.Cell>
              <Table.Cell>
                <RetryBookingButton booking={b} />
                <DeclineBookingButton booking={b} />
                <RetryCancellationButton booking={b} />
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
      {!isLoading && count === 0 && (
        <Text className="px-6 pb-4">No bookings match this filter.</Text>
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
