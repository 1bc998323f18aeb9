import Medusa from "@medusajs/js-sdk"
import {
  keepPreviousData,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query"
// The status list has no imports, so the bundle can share it with the server.
import {
  BOOKING_STATUSES,
  OFFER_STATUSES,
  type BookingStatus,
  type OfferStatus,
} from "../../modules/xcover/statuses"
// Response shapes are the server's own types (type-only imports: nothing of the server is bundled).
import type { BookingView } from "../../modules/xcover/ledger/bookings"
import type { CancellationReason } from "../../modules/xcover/models/xcover-cancellation"
import type {
  OfferLogEntry,
  OfferStats,
} from "../../modules/xcover/reporting/offer-log"
import type { SalesReport } from "../../modules/xcover/reporting/sales-report"
import type { ReconcilerView } from "../../modules/xcover/recovery/order-cursor"
import type { OrdersReconciled } from "../../modules/xcover/recovery/reconcile-orders"
import type { ConnectionTestResult } from "../../modules/xcover/settings/connection-test"
import type {
  SettingSource,
  SettingsView,
} from "../../modules/xcover/settings/resolve-settings"
import type { SaveSettingsInput } from "../../modules/xcover/settings/settings-store"
import type XcoverModuleService from "../../modules/xcover/service"
import type { DeliveryHealth as ServerDeliveryHealth } from "../../modules/xcover/service"

declare const __BACKEND_URL__: string | undefined
declare const __BASE__: string | undefined

/** The admin's own session (cookie) talks to the same backend that serves the dashboard. */
export const sdk = new Medusa({
  baseUrl:
    typeof __BACKEND_URL__ !== "undefined" && __BACKEND_URL__
      ? __BACKEND_URL__
      : "/",
  auth: { type: "session" },
})

/** Dashboard path of an order, under the admin's base path (`/app` unless configured). */
export function orderPath(orderId: string): string {
  const base = typeof __BASE__ !== "undefined" && __BASE__ ? __BASE__ : "/app"
  return `${base.replace(/\/$/, "")}/orders/${encodeURIComponent(orderId)}`
}

export type { BookingStatus, OfferStatus, SettingSource }
export type XcoverSettings = SettingsView
export type Environment = SettingsView["environment"]["value"]
export type AdminEnvironment = Exclude<Environment, "custom">
export type SignatureAlgorithm = SettingsView["signature_algorithm"]["value"]
export type SaveSettings = Omit<SaveSettingsInput, "api_secret_sealed"> & {
  api_secret?: string | null
}
export type ConnectionTest = ConnectionTestResult
export type XcoverStats = OfferStats

/** What JSON makes of a server type: dates arrive as ISO strings. */
type Json<T> = {
  [K in keyof T]: T[K] extends Date
    ? string
    : T[K] extends Date | null
      ? string | null
      : T[K]
}
export type XcoverOffer = Json<OfferLogEntry>
export type DeliveryHealth = Json<Omit<ServerDeliveryHealth, "circuit">> & {
  circuit: Json<ServerDeliveryHealth["circuit"]>
}
type Cancellation = NonNullable<BookingView["cancellation"]>
export type XcoverCancellation = Omit<Json<Cancellation>, "reason"> & {
  reason: CancellationReason | (string & {})
}
export type XcoverBooking = Omit<Json<BookingView>, "cancellation"> & {
  cancellation: XcoverCancellation | null
}
/** XCover's preview of cancelling a policy (nothing changed yet): what it would refund, per quote. */
export type CancellationPreview = {
  total_refund: number | null
  currency: string | null
  quotes: {
    id: string
    refund_value: number | null
    adjustment_fee: number | null
  }[]
  confirm_before: string | null
}
export type BookingStats = Awaited<
  ReturnType<XcoverModuleService["getBookingStats"]>
>
/** What "Reconcile now" found and did for one order. */
export type Reconciliation = OrdersReconciled
export type Reconciler = Json<ReconcilerView>
type SettingsResponse = { settings: XcoverSettings; delivery: DeliveryHealth }
type BookingsResponse = {
  bookings: XcoverBooking[]
  count: number
  limit: number
  offset: number
  stats: BookingStats
}

export { BOOKING_STATUSES, OFFER_STATUSES }

export type OfferFilters = {
  status?: OfferStatus[]
  order_id?: string
  created_from?: string
  created_to?: string
  limit: number
  offset: number
}

export type BookingFilters = {
  status?: BookingStatus
  order_id?: string
  limit: number
  offset: number
}

const KEY = ["xcover"] as const

/** Query-string form of filters, leaving out empty ones. */
function toQuery(
  filters: Record<string, string | number | string[] | undefined>
): Record<string, string | number> {
  const query: Record<string, string | number> = {}
  for (const [key, value] of Object.entries(filters)) {
    if (
      Array.isArray(value) ? value.length : value !== undefined && value !== ""
    ) {
      query[key] = Array.isArray(value)
        ? value.join(",")
        : (value as string | number)
    }
  }
  return query
}

export function useXcoverSettings() {
  return useQuery({
    queryKey: [...KEY, "settings"],
    queryFn: () => sdk.client.fetch<SettingsResponse>("/admin/xcover/settings"),
  })
}

export function useSaveXcoverSettings() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: SaveSettings) =>
      sdk.client.fetch<SettingsResponse>("/admin/xcover/settings", {
        method: "POST",
        body,
      }),
    onSuccess: (data) => client.setQueryData([...KEY, "settings"], data),
  })
}

export function useTestXcoverConnection() {
  return useMutation({
    mutationFn: () =>
      sdk.client.fetch<{ connection: ConnectionTest }>(
        "/admin/xcover/settings/test-connection",
        { method: "POST", body: {} }
      ),
  })
}

export function useXcoverOffers(filters: OfferFilters) {
  return useQuery({
    queryKey: [...KEY, "offers", filters],
    queryFn: () =>
      sdk.client.fetch<{
        offers: XcoverOffer[]
        count: number
        limit: number
        offset: number
      }>("/admin/xcover/offers", {
        query: toQuery(filters),
      }),
  })
}

export function useXcoverStats(range: {
  created_from?: string
  created_to?: string
}) {
  return useQuery({
    queryKey: [...KEY, "stats", range],
    queryFn: () =>
      sdk.client.fetch<{ stats: XcoverStats }>("/admin/xcover/stats", {
        query: toQuery(range),
      }),
  })
}

export type { SalesReport }

/**
 * What sells, per UTC day of `from`..`to` (YYYY-MM-DD) and per plan; nothing is asked while
 * `range` is null (a custom range half typed), and the last report stays shown meanwhile.
 */
export function useXcoverSalesReport(
  range: { from: string; to: string } | null
) {
  return useQuery({
    queryKey: [...KEY, "stats", "daily", range],
    queryFn: () =>
      sdk.client.fetch<{ report: SalesReport }>("/admin/xcover/stats/daily", {
        query: range ?? {},
      }),
    enabled: range !== null,
    placeholderData: keepPreviousData,
    select: (data) => data.report,
  })
}

/**
 * A POST that changes what the plugin holds (a retry, a decline, a cancellation, a reconciliation):
 * `request` names its path and body from the mutation's input; every XCover query is refreshed
 * once it settles.
 */
function useXcoverAction<Input, Result>(
  request: (input: Input) => { path: string; body?: Record<string, unknown> }
) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (input: Input) => {
      const { path, body } = request(input)
      return sdk.client.fetch<Result>(path, {
        method: "POST",
        body: body ?? {},
      })
    },
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  })
}

/** Path of an action on one booking (`retry`, `decline`, `cancel`, `cancel-preview`). */
function bookingPath(id: string, action: string): string {
  return `/admin/xcover/bookings/${encodeURIComponent(id)}/${action}`
}

export function useRetryXcoverOffer() {
  return useXcoverAction<string, { offer: XcoverOffer }>((id) => ({
    path: `/admin/xcover/offers/${encodeURIComponent(id)}/retry`,
  }))
}

/** Bulk retry: every failed or rejected offer matching the log's filters (no paging). */
export function useRetryXcoverOffers() {
  return useXcoverAction<
    Omit<OfferFilters, "limit" | "offset">,
    { requeued: number }
  >((filters) => ({ path: "/admin/xcover/offers/retry", body: filters }))
}

/** Bookings of taken offers (the policy, or why booking failed), newest first. */
export function useXcoverBookings(filters: BookingFilters) {
  return useQuery({
    queryKey: [...KEY, "bookings", filters],
    queryFn: () =>
      sdk.client.fetch<BookingsResponse>("/admin/xcover/bookings", {
        query: toQuery(filters),
      }),
  })
}

/** Booking figures (every booking, whatever the dates): the list answers them with its page. */
export function useXcoverBookingStats() {
  return useQuery({
    queryKey: [...KEY, "bookings", "stats"],
    queryFn: () =>
      sdk.client.fetch<BookingsResponse>("/admin/xcover/bookings", {
        query: { limit: 1, offset: 0 },
      }),
    select: (data) => data.stats,
  })
}

/** Confirms a failed booking again; the answer is the booking after that attempt. */
export function useRetryXcoverBooking() {
  return useXcoverAction<string, { booking: XcoverBooking }>((id) => ({
    path: bookingPath(id, "retry"),
  }))
}

/** Declines a booking held for review (its offer is opted out). */
export function useDeclineXcoverBooking() {
  return useXcoverAction<string, { booking: XcoverBooking }>((id) => ({
    path: bookingPath(id, "decline"),
  }))
}

/** XCover's preview of the refund if this policy were cancelled now; changes nothing (a POST: never cached). */
export function usePreviewXcoverCancellation() {
  return useMutation({
    mutationFn: (id: string) =>
      sdk.client.fetch<{ preview: CancellationPreview }>(
        bookingPath(id, "cancel-preview"),
        { method: "POST", body: {} }
      ),
  })
}

/**
 * Cancels a booked policy at XCover (irreversible), or with `retry` asks again after a failed
 * cancellation; the answer is the booking afterwards (normally cancelled, with XCover's refund).
 */
export function useCancelXcoverBooking() {
  return useXcoverAction<
    { id: string; retry?: boolean },
    { booking: XcoverBooking }
  >(({ id, retry }) => ({
    path: bookingPath(id, "cancel"),
    body: retry ? { retry: true } : {},
  }))
}

/**
 * Compares one order with its policies now (the reconciler): answers what it found and did, and
 * the policies afterwards; every XCover query is refreshed (a cancellation asked for went out at once).
 */
export function useReconcileXcoverOrder() {
  return useXcoverAction<
    string,
    { reconciliation: Reconciliation; bookings: XcoverBooking[] }
  >((orderId) => ({
    path: `/admin/xcover/orders/${encodeURIComponent(orderId)}/reconcile`,
  }))
}

/** The reconciler's totals since install, its last runs, and the read-backs of booked policies. */
export function useXcoverReconciler() {
  return useQuery({
    queryKey: [...KEY, "reconciler"],
    queryFn: () =>
      sdk.client.fetch<{ reconciler: Reconciler }>("/admin/xcover/reconciler"),
    select: (data) => data.reconciler,
  })
}

/** Start and end of local calendar days (from `<input type="date">`) as ISO instants. */
export function dayRange(
  from: string,
  to: string
): { created_from?: string; created_to?: string } {
  return {
    created_from: from ? new Date(`${from}T00:00:00`).toISOString() : undefined,
    created_to: to ? new Date(`${to}T23:59:59.999`).toISOString() : undefined,
  }
}
