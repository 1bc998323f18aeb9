import { MedusaError, generateEntityId } from "@medusajs/framework/utils"
import type { BookingStatus } from "../offer-statuses"
import type { SqlExecutor, SqlManager } from "../sql"

/** Who the policy is for, as the order has it; absent fields are left out, never invented. */
export type Policyholder = Partial<Record<"first_name" | "last_name" | "email" | "phone" | "country", string>>

/** What the decision needs to book the offers an order took. */
export type BookingInput = {
  policyholder: Policyholder
  currency: string
  /** Per offer a line names: the quote ids a storefront put in its metadata, and what it charged. */
  lines: { offer_id: string; quote_ids: string[] | null; charged_amount: number }[]
}

/** One stable idempotency key per taken offer: every try of its confirm sends the same. */
export function bookingIdempotencyKey(offerId: string): string {
  return `medusa-xcover-confirm-${offerId}`
}

/**
 * Writes one booking per offer this order took, inside the decision's transaction: `pending`
 * with the exact Confirm Offer body, or `failed` at once when no quote id is known (a
 * storefront's offer whose line lacks `metadata.xcover_quote_ids`): nothing to send, and the
 * merchant must see it. A repeated decision changes nothing (one booking per offer).
 */
export async function insertBookings(
  em: SqlExecutor,
  input: { order_id: string; cart_id: string; placed_at: Date; booking: BookingInput },
  taken: { offer_id: string; quote_id: string | null }[]
): Promise<string[]> {
  const written: string[] = []
  for (const offer of taken) {
    const lines = input.booking.lines.filter((l) => l.offer_id === offer.offer_id)
    const quoteIds = offer.quote_id ? [offer.quote_id] : [...new Set(lines.flatMap((l) => l.quote_ids ?? []))]
    const charged = lines.length ? lines.reduce((sum, l) => sum + l.charged_amount, 0) : null
    const request = {
      quotes: quoteIds.map((id) => ({ id })),
      policyholder: input.booking.policyholder,
      partner_transaction_id: input.order_id,
    }
    const failed = quoteIds.length === 0
    const rows = await em.execute(
      `INSERT INTO xcover_booking (id, offer_id, order_id, cart_id, status, request, idempotency_key, charged_amount, charged_currency,
         attempts, last_error, decided_at, next_attempt_at, completed_at, price_mismatch, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, 0, ?, ?, ${failed ? "NULL" : "now()"}, ${failed ? "now()" : "NULL"}, false, now(), now())
       ON CONFLICT (offer_id) WHERE deleted_at IS NULL DO NOTHING
       RETURNING offer_id`,
      [
        generateEntityId(undefined, "xcb"),
        offer.offer_id,
        input.order_id,
        input.cart_id,
        failed ? "failed" : "pending",
        JSON.stringify(request),
        bookingIdempotencyKey(offer.offer_id),
        charged,
        input.booking.currency.toUpperCase(),
        failed ? "No quote id to confirm: the line item that takes this offer needs metadata.xcover_quote_ids" : null,
        input.placed_at,
      ]
    )
    written.push(...rows.map((r) => String(r.offer_id)))
  }
  return written
}

/** A booking as the admin and the store API read it. */
export type BookingView = {
  id: string
  offer_id: string
  order_id: string
  status: BookingStatus
  attempts: number
  last_status: number | null
  last_error: string | null
  decided_at: Date
  completed_at: Date | null
  charged_amount: number | null
  charged_currency: string | null
  price_mismatch: boolean
  booking_id: string | null
  booking_status: string | null
  currency: string | null
  total_price: number | null
  total_premium: number | null
  total_tax: number | null
  quotes: { id: string; status: string | null; price: number | null; policy_name: string | null }[]
  coi_url: string | null
  coi_pdf: string | null
  pds_url: string | null
  fnol_link: string | null
  cancel_link: string | null
}

const VIEW_COLUMNS = `id, offer_id, order_id, status, attempts, last_status, last_error, decided_at, completed_at,
  charged_amount::float8 AS charged_amount, charged_currency, price_mismatch, booking_id, booking_status, currency,
  total_price::float8 AS total_price, total_premium::float8 AS total_premium, total_tax::float8 AS total_tax,
  COALESCE(quotes, '[]'::jsonb) AS quotes, coi_url, coi_pdf, pds_url, fnol_link, cancel_link`

export async function listOrderBookings(em: SqlExecutor, orderId: string): Promise<BookingView[]> {
  const rows = await em.execute(
    `SELECT ${VIEW_COLUMNS} FROM xcover_booking WHERE order_id = ? AND deleted_at IS NULL ORDER BY decided_at, offer_id`,
    [orderId]
  )
  return rows as BookingView[]
}

export type BookingFilters = { status?: BookingStatus; order_id?: string; limit: number; offset: number }

export async function listBookings(em: SqlExecutor, filters: BookingFilters): Promise<{ bookings: BookingView[]; count: number }> {
  const where = ["deleted_at IS NULL"]
  const params: unknown[] = []
  if (filters.status) {
    where.push("status = ?")
    params.push(filters.status)
  }
  if (filters.order_id) {
    where.push("order_id = ?")
    params.push(filters.order_id)
  }
  const [{ count }] = await em.execute(`SELECT count(*)::int AS count FROM xcover_booking WHERE ${where.join(" AND ")}`, params)
  const rows = await em.execute(
    `SELECT ${VIEW_COLUMNS} FROM xcover_booking WHERE ${where.join(" AND ")} ORDER BY decided_at DESC, id LIMIT ? OFFSET ?`,
    [...params, filters.limit, filters.offset]
  )
  return { bookings: rows as BookingView[], count: Number(count) }
}

/** Figures for the admin: policies booked, premium booked (per currency), failed bookings. */
export async function bookingStats(em: SqlExecutor): Promise<{ booked: number; failed: number; pending: number; premium_booked: { currency: string; amount: number }[] }> {
  const [counts] = await em.execute(
    `SELECT count(*) FILTER (WHERE status = 'booked')::int AS booked, count(*) FILTER (WHERE status = 'failed')::int AS failed,
            count(*) FILTER (WHERE status IN ('pending', 'sending', 'retrying'))::int AS pending
     FROM xcover_booking WHERE deleted_at IS NULL`
  )
  const premium = await em.execute(
    `SELECT currency, sum(total_premium)::float8 AS amount FROM xcover_booking
     WHERE deleted_at IS NULL AND status = 'booked' AND currency IS NOT NULL GROUP BY currency ORDER BY currency`
  )
  return {
    booked: Number(counts.booked),
    failed: Number(counts.failed),
    pending: Number(counts.pending),
    premium_booked: premium.map((r) => ({ currency: String(r.currency), amount: Number(r.amount) })),
  }
}

/** A failed booking goes back to pending, due now, with a fresh retry window; the caller dispatches it. */
export async function requeueBooking(manager: SqlManager, id: string, maxAgeMs: number): Promise<BookingView> {
  const [row] = await manager.execute(
    `UPDATE xcover_booking
     SET status = 'pending', attempts = 0, next_attempt_at = now(), completed_at = NULL,
         retry_deadline_at = now() + (? * interval '1 millisecond'), updated_at = now()
     WHERE id = ? AND status = 'failed' AND deleted_at IS NULL
     RETURNING id`,
    [maxAgeMs, id]
  )
  if (!row) {
    const [exists] = await manager.execute("SELECT status FROM xcover_booking WHERE id = ? AND deleted_at IS NULL", [id])
    throw exists
      ? new MedusaError(MedusaError.Types.NOT_ALLOWED, `Only a failed booking can be retried; this one is ${String(exists.status)}`)
      : new MedusaError(MedusaError.Types.NOT_FOUND, `XCover booking ${id} was not found`)
  }
  const [view] = await manager.execute(`SELECT ${VIEW_COLUMNS} FROM xcover_booking WHERE id = ?`, [id])
  return view as BookingView
}
