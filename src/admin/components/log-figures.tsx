import { Text } from "@medusajs/ui"
import type { ReactNode } from "react"
import { formatAmounts } from "../lib/money"
import {
  useXcoverBookingStats,
  useXcoverReconciler,
  useXcoverStats,
  type XcoverStats,
} from "../lib/xcover-api"
import { formatTime } from "./offer-status-badge"

const OFFER_FIGURES: {
  key: keyof Omit<XcoverStats, "attach_rate" | "undecided">
  label: string
}[] = [
  { key: "shown", label: "Shown" },
  { key: "taken", label: "Taken" },
  { key: "opted_out", label: "Opted out" },
  { key: "pending", label: "Pending" },
  { key: "failed", label: "Failed" },
  { key: "rejected", label: "Rejected" },
]

/** One labelled figure of a figures row; `stat-<id>` is its test id. */
export function Figure({
  id,
  label,
  children,
}: {
  id: string
  label: string
  children: ReactNode
}) {
  return (
    <div className="flex flex-col" data-testid={`stat-${id}`}>
      <Text size="small" className="text-ui-fg-subtle">
        {label}
      </Text>
      <Text size="xlarge" weight="plus">
        {children}
      </Text>
    </div>
  )
}

/** Opt-out figures over the offers recorded in the chosen days. */
export function OfferFigures({
  range,
}: {
  range: { created_from?: string; created_to?: string }
}) {
  const { data, error } = useXcoverStats(range)
  if (error) {
    return <Text>Could not load the figures: {error.message}</Text>
  }
  const stats = data?.stats
  const rate = stats?.attach_rate
  return (
    <div
      className="grid grid-cols-2 gap-4 md:grid-cols-7"
      data-testid="xcover-stats"
    >
      {OFFER_FIGURES.map((f) => (
        <Figure key={f.key} id={f.key} label={f.label}>
          {stats ? stats[f.key] : "…"}
        </Figure>
      ))}
      <Figure id="attach_rate" label="Attach rate (taken / shown)">
        {rate === undefined
          ? "…"
          : rate === null
            ? "–"
            : `${(rate * 100).toFixed(1)} %`}
      </Figure>
    </div>
  )
}

/**
 * Booking figures over every booking (the bookings API has no date filter). Refunds are what
 * XCover computed for cancelled policies: the merchant pays them back, the plugin moves no money.
 */
export function BookingFigures() {
  const { data: stats, error } = useXcoverBookingStats()
  if (error) {
    return <Text>Could not load the booking figures: {error.message}</Text>
  }
  return (
    <div className="flex flex-col gap-y-2">
      <Text size="small" weight="plus">
        Bookings, all dates
      </Text>
      <div
        className="grid grid-cols-2 gap-4 md:grid-cols-8"
        data-testid="xcover-booking-stats"
      >
        <Figure id="policies_booked" label="Policies booked">
          {stats ? stats.booked : "…"}
        </Figure>
        <Figure id="premium_booked" label="Premium booked">
          {stats ? formatAmounts(stats.premium_booked) : "…"}
        </Figure>
        <Figure id="bookings_failed" label="Failed bookings">
          {stats ? stats.failed : "…"}
        </Figure>
        <Figure id="bookings_pending" label="Bookings in progress">
          {stats ? stats.pending : "…"}
        </Figure>
        <Figure id="bookings_held" label="Held for review">
          {stats ? stats.held : "…"}
        </Figure>
        <Figure id="policies_cancelled" label="Policies cancelled">
          {stats ? stats.cancelled : "…"}
        </Figure>
        <Figure id="refunds" label="Refunds (computed by XCover)">
          {stats ? formatAmounts(stats.refunds) : "…"}
        </Figure>
      </div>
    </div>
  )
}

type ReconcilerData = NonNullable<
  ReturnType<typeof useXcoverReconciler>["data"]
>

const RECONCILER_FIGURES: {
  id: string
  label: string
  value: (r: ReconcilerData) => ReactNode
}[] = [
  {
    id: "orders_checked",
    label: "Orders checked",
    value: (r) => r.figures.orders_checked,
  },
  {
    id: "late_decisions",
    label: "Late decisions",
    value: (r) => r.figures.decided,
  },
  {
    id: "repaired_order_canceled",
    label: "Repaired: order cancelled",
    value: (r) => r.figures.repaired.order_canceled,
  },
  {
    id: "repaired_returned",
    label: "Repaired: cover returned",
    value: (r) => r.figures.repaired.returned,
  },
  {
    id: "repaired_order_edited",
    label: "Repaired: edited away",
    value: (r) => r.figures.repaired.order_edited,
  },
  {
    id: "retrying_orders",
    label: "Orders being retried",
    value: (r) => r.retrying_orders,
  },
  {
    id: "policies_read",
    label: "Policies read back (last 24 h)",
    value: (r) => `${r.readbacks.policies_read} (${r.readbacks.read_last_24h})`,
  },
  {
    id: "unreadable",
    label: "Read-backs unanswered or refused",
    value: (r) => r.readbacks.unreadable,
  },
  {
    id: "reported_differently",
    label: "Reported differently by XCover",
    value: (r) => r.readbacks.reported_differently,
  },
]

/**
 * The reconciler's totals since install (its passes over changed orders and the daily full pass;
 * "Reconcile now" and order events show their result where they happen), and XCover's side:
 * policies read back, and those XCover reports differently.
 */
export function ReconcilerFigures() {
  const { data: r, error } = useXcoverReconciler()
  if (error) {
    return <Text>Could not load the reconciler's figures: {error.message}</Text>
  }
  return (
    <div className="flex flex-col gap-y-2">
      <Text size="small" weight="plus">
        The books: orders reconciled with their policies, policies read back
        from XCover (since install)
      </Text>
      <div
        className="grid grid-cols-2 gap-4 md:grid-cols-5"
        data-testid="xcover-reconciler-stats"
      >
        {RECONCILER_FIGURES.map((f) => (
          <Figure key={f.id} id={f.id} label={f.label}>
            {r ? f.value(r) : "…"}
          </Figure>
        ))}
      </div>
      <Text
        size="small"
        className="text-ui-fg-subtle"
        data-testid="xcover-reconciler-runs"
      >
        Last run: {r ? formatTime(r.last_run_at) : "…"} · last full pass:{" "}
        {r ? formatTime(r.last_full_pass_at) : "…"}
      </Text>
    </div>
  )
}
