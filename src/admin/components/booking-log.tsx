import { Text } from "@medusajs/ui"
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
import {
  attemptColumns,
  OutboxLog,
  useLogFilter,
  type LogColumn,
} from "./outbox-log"
import { planNames } from "./policy-card"
import { PriceMismatchBadge } from "./price-mismatch-badge"
import { ReportedDrift } from "./reported-drift"
import {
  DeclineBookingButton,
  RetryBookingButton,
} from "./retry-booking-button"
import { RetryCancellationButton } from "./retry-cancellation-button"

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

const COLUMNS: LogColumn<XcoverBooking>[] = [
  {
    header: "Policy",
    cell: (b) => (
      <>
        <div className="whitespace-nowrap font-mono text-xs">
          {b.booking_id ?? "–"}
        </div>
        <div className="text-ui-fg-subtle font-mono text-xs">{b.offer_id}</div>
      </>
    ),
  },
  {
    header: "Status",
    cell: (b) => (
      <div className="flex flex-col items-start gap-1">
        <BookingStatusBadge status={b.status} />
        <ReportedDrift booking={b} compact />
      </div>
    ),
  },
  { header: "Order", cell: (b) => <OrderLink orderId={b.order_id} /> },
  { header: "Plan", cell: (b) => planNames(b) },
  {
    header: "Price",
    cell: (b) => (
      <div className="flex flex-col items-start gap-1">
        {b.total_price !== null
          ? formatMoney(b.total_price, b.currency)
          : formatMoney(b.charged_amount, b.charged_currency)}
        <PriceMismatchBadge booking={b} />
      </div>
    ),
  },
  { header: "Cancellation", cell: (b) => <CancellationCell booking={b} /> },
  ...attemptColumns<XcoverBooking>(),
  { header: "Ordered", cell: (b) => formatTime(b.decided_at) },
  {
    header: "",
    cell: (b) => (
      <>
        <RetryBookingButton booking={b} />
        <DeclineBookingButton booking={b} />
        <RetryCancellationButton booking={b} />
      </>
    ),
  },
]

/** Bookings of taken offers, newest first: the policy, or why XCover did not book it. All dates. */
export function BookingLog() {
  const filter = useLogFilter<BookingStatus>({ multiple: false })
  const { data, isLoading, error } = useXcoverBookings({
    status: filter.statuses[0],
    limit: filter.limit,
    offset: filter.offset,
  })

  return (
    <OutboxLog
      testIds={{
        section: "xcover-booking-section",
        table: "xcover-booking-log",
      }}
      heading="Bookings"
      description="Every offer a shopper took, the policy XCover booked for it and its cancellation, if any, with the refund XCover computed (all dates: the days above do not apply)."
      statuses={BOOKING_STATUSES}
      filterLabel="Filter bookings by status"
      filter={filter}
      data={data && { rows: data.bookings, count: data.count }}
      isLoading={isLoading}
      error={error}
      errorText="Could not load the bookings"
      columns={COLUMNS}
      rowData={(b) => ({ "data-booking-offer-id": b.offer_id })}
      emptyText="No bookings match this filter."
    />
  )
}
