import Medusa from "@medusajs/js-sdk"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"

declare const __BACKEND_URL__: string | undefined
declare const __BASE__: string | undefined

/** The admin's own session (cookie) talks to the same backend that serves the dashboard. */
export const sdk = new Medusa({
  baseUrl: typeof __BACKEND_URL__ !== "undefined" && __BACKEND_URL__ ? __BACKEND_URL__ : "/",
  auth: { type: "session" },
})

/** Dashboard path of an order, under the admin's base path (`/app` unless configured). */
export function orderPath(orderId: string): string {
  const base = typeof __BASE__ !== "undefined" && __BASE__ ? __BASE__ : "/app"
  return `${base.replace(/\/$/, "")}/orders/${encodeURIComponent(orderId)}`
}

export type SettingSource = "admin" | "plugin_option" | "default" | "unset"
export type Sourced<T> = { value: T; source: SettingSource }
export type Environment = "production" | "sandbox" | "custom"
export type SignatureAlgorithm = "hmac-sha512" | "hmac-sha384" | "hmac-sha256"

export type XcoverSettings = {
  partner_code: Sourced<string | null>
  api_key: Sourced<string | null>
  api_secret_set: Sourced<boolean>
  environment: Sourced<Environment>
  base_url: Sourced<string>
  signature_algorithm: Sourced<SignatureAlgorithm>
  enabled: Sourced<boolean>
  encryption_key_set: boolean
  problems: string[]
}

export type SaveSettings = Partial<{
  partner_code: string | null
  api_key: string | null
  api_secret: string | null
  environment: Environment | null
  base_url: string | null
  signature_algorithm: SignatureAlgorithm | null
  enabled: boolean | null
}>

export type ConnectionTest = {
  result: "accepted" | "rejected" | "unreachable" | "unexpected" | "not_configured"
  message: string
  http_status: number | null
  base_url: string | null
}

export const OFFER_STATUSES = ["shown", "selected", "pending", "sending", "retrying", "opted_out", "rejected", "failed"] as const
export type OfferStatus = (typeof OFFER_STATUSES)[number]

export type XcoverOffer = {
  id: string
  offer_id: string
  cart_id: string
  order_id: string | null
  status: OfferStatus
  attempts: number
  last_status: number | null
  last_error: string | null
  declined_at: string | null
  next_attempt_at: string | null
  last_attempt_at: string | null
  completed_at: string | null
  created_at: string
}

export type OfferFilters = {
  status?: OfferStatus[]
  order_id?: string
  created_from?: string
  created_to?: string
  limit: number
  offset: number
}

export type XcoverStats = {
  shown: number
  taken: number
  opted_out: number
  pending: number
  failed: number
  rejected: number
  undecided: number
  attach_rate: number | null
}

const KEY = ["xcover"] as const

/** Query-string form of filters, leaving out empty ones. */
function toQuery(filters: Record<string, string | number | string[] | undefined>): Record<string, string | number> {
  const query: Record<string, string | number> = {}
  for (const [key, value] of Object.entries(filters)) {
    if (Array.isArray(value) ? value.length : value !== undefined && value !== "") {
      query[key] = Array.isArray(value) ? value.join(",") : (value as string | number)
    }
  }
  return query
}

export function useXcoverSettings() {
  return useQuery({
    queryKey: [...KEY, "settings"],
    queryFn: () => sdk.client.fetch<{ settings: XcoverSettings }>("/admin/xcover/settings"),
  })
}

export function useSaveXcoverSettings() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: SaveSettings) =>
      sdk.client.fetch<{ settings: XcoverSettings }>("/admin/xcover/settings", { method: "POST", body }),
    onSuccess: (data) => client.setQueryData([...KEY, "settings"], data),
  })
}

export function useTestXcoverConnection() {
  return useMutation({
    mutationFn: () =>
      sdk.client.fetch<{ connection: ConnectionTest }>("/admin/xcover/settings/test-connection", { method: "POST", body: {} }),
  })
}

export function useXcoverOffers(filters: OfferFilters) {
  return useQuery({
    queryKey: [...KEY, "offers", filters],
    queryFn: () =>
      sdk.client.fetch<{ offers: XcoverOffer[]; count: number; limit: number; offset: number }>("/admin/xcover/offers", {
        query: toQuery(filters),
      }),
  })
}

export function useXcoverStats(range: { created_from?: string; created_to?: string }) {
  return useQuery({
    queryKey: [...KEY, "stats", range],
    queryFn: () => sdk.client.fetch<{ stats: XcoverStats }>("/admin/xcover/stats", { query: toQuery(range) }),
  })
}

export function useRetryXcoverOffer() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (id: string) =>
      sdk.client.fetch<{ offer: XcoverOffer }>(`/admin/xcover/offers/${encodeURIComponent(id)}/retry`, { method: "POST", body: {} }),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  })
}

/** Start and end of local calendar days (from `<input type="date">`) as ISO instants. */
export function dayRange(from: string, to: string): { created_from?: string; created_to?: string } {
  return {
    created_from: from ? new Date(`${from}T00:00:00`).toISOString() : undefined,
    created_to: to ? new Date(`${to}T23:59:59.999`).toISOString() : undefined,
  }
}
