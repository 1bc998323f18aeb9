import { generateEntityId } from "@medusajs/framework/utils"
import type { XcoverBooking } from "../client/booking"
import type { BookingStatus, CancellationStatus } from "../statuses"
import type { SqlExecutor, SqlManager } from "../sql"
import { raw, type ObjectQuery } from "@medusajs/framework/mikro-orm/core"
import {
  BookingEntity,
  CancellationEntity,
  findRows,
  pickFields,
  type BookingRow,
} from "../orm"
import { RENEW_SPENT_KEY_SQL } from "./idempotency-keys"
import { recordEvent } from "./durable-events"
import type { LivePolicy } from "../recovery/order-drift"
import type { ReportedView } from "./reported-drift"

/** Who the policy is for, as the order has it; absent fields are left out, never invented. */
export type Policyholder = Partial<
  Record<"first_name" | "last_name" | "email" | "phone" | "country", string>
>

/** What the decision needs to book the offers an order took. */
export type BookingInput = {
  policyholder: Policyholder
  currency: string
  /** Per offer a line names: the quote ids a storefront put in its metadata, and what it charged. */
  lines: {
    offer_id: string
    quote_ids: string[] | null
    charged_amount: number
    cover: boolean
  }[]
  /** Hold the bookings of storefront offers for the merchant's review (`storefrontOfferBooking`). */
  hold_storefront_offers?: boolean
}

export const HELD_REASON =
  "Held for review: a storefront's offer, whose price XCover tells only once it is booked. Book or decline it"

export const NO_QUOTE_IDS_REASON =
  "No quote id to confirm: the line item that takes this offer needs metadata.xcover_quote_ids"

/** One stable idempotency key per taken offer: every try of its confirm sends the same. */
export function bookingIdempotencyKey(offerId: string): string {
  return `medusa-xcover-confirm-${offerId}`
}

/**
 * Writes one booking per offer this order took, inside the decision's transaction: `pending`
 * with the exact Confirm Offer body, or `failed` at once when no quote id is known (a
 * storefront's offer whose line lacks `metadata.xcover_quote_ids`): nothing to send, and the
 * merchant must see it; or `held` for review (a storefront's offer, when the store holds them).
 * A repeated decision changes nothing (one booking per offer).
 */
export async function insertBookings(
  em: SqlExecutor,
  input: {
    order_id: string
    cart_id: string
    placed_at: Date
    booking: BookingInput
  },
  taken: { offer_id: string; quote_id: string | null }[]
): Promise<{ written: string[]; failed: string[]; held: string[] }> {
  const written: string[] = []
  const failed: string[] = []
  const held: string[] = []
  for (const offer of taken) {
    // A plugin-quoted offer is paid by its cover line only (another line naming it buys nothing).
    const lines = input.booking.lines.filter(
      (l) => l.offer_id === offer.offer_id && (!offer.quote_id || l.cover)
    )
    const quoteIds = offer.quote_id
      ? [offer.quote_id]
      : [...new Set(lines.flatMap((l) => l.quote_ids ?? []))]
    const charged = lines.length
      ? lines.reduce((sum, l) => sum + l.charged_amount, 0)
      : null
    const request = {
      quotes: quoteIds.map((id) => ({ id })),
      policyholder: input.booking.policyholder,
      partner_transaction_id: input.order_id,
    }
    const noQuote = quoteIds.length === 0
    // A plugin-quoted offer is priced by the quote it recorded: never held.
    const hold =
      !noQuote && !offer.quote_id && !!input.booking.hold_storefront_offers
    const status = noQuote ? "failed" : hold ? "held" : "pending"
    // Raw SQL: INSERT … ON CONFLICT DO NOTHING RETURNING (a repeated decision is a no-op).
    const rows = await em.execute(
      `INSERT INTO xcover_booking (id, offer_id, order_id, cart_id, status, request, idempotency_key, charged_amount, charged_currency,
         attempts, last_error, decided_at, next_attempt_at, completed_at, price_mismatch, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, 0, ?, ?, ${status === "pending" ? "now()" : "NULL"}, ${noQuote ? "now()" : "NULL"}, false, now(), now())
       ON CONFLICT (offer_id) WHERE deleted_at IS NULL DO NOTHING
       RETURNING offer_id`,
      [
        generateEntityId(undefined, "xcb"),
        offer.offer_id,
        input.order_id,
        input.cart_id,
        status,
        JSON.stringify(request),
        bookingIdempotencyKey(offer.offer_id),
        charged,
        input.booking.currency.toUpperCase(),
        noQuote ? NO_QUOTE_IDS_REASON : hold ? HELD_REASON : null,
        input.placed_at,
      ]
    )
    written.push(...rows.map((r) => String(r.offer_id)))
    if (noQuote && rows.length) {
      failed.push(offer.offer_id)
      // Failed at once, in the decision's transaction: announced like any failed booking.
      await recordEvent(em, "xcover.booking.failed", {
        order_id: input.order_id,
        offer_id: offer.offer_id,
        reason: NO_QUOTE_IDS_REASON,
      })
    }
    if (hold && rows.length) {
      held.push(offer.offer_id)
      await recordEvent(em, "xcover.booking.held", {
        order_id: input.order_id,
        offer_id: offer.offer_id,
        charged_amount: charged,
      })
    }
  }
  return { written, failed, held }
}

/**
 * A booking as the admin and the store API read it: the outbox row, and the policy as XCover
 * answered it (`XcoverBooking`; no `booking_id` until it is booked).
 */
export type BookingView = Omit<XcoverBooking, "booking_id"> & {
  booking_id: string | null
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
  cancelled_at: Date | null
  /** What XCover computed to refund (previewed, then confirmed by the cancellation). */
  total_refund: number | null
  refund:
    | {
        id: string
        refund_value: number | null
        adjustment_fee: number | null
      }[]
    | null
  /** The plugin's cancellation of this booking, if one was asked for. */
  cancellation: {
    status: CancellationStatus
    reason: string
    last_error: string | null
    requested_at: Date
    attempts: number
  } | null
  /** What XCover's last read-back reported differently from the fields above (not applied), or null while they agree. */
  reported: ReportedView | null
}

/** The booking's columns a view shows: read through the module's generated `listXcoverBookings`. */
export const BOOKING_VIEW_FIELDS = [
  "id",
  "offer_id",
  "order_id",
  "status",
  "attempts",
  "last_status",
  "last_error",
  "decided_at",
  "completed_at",
  "charged_amount",
  "charged_currency",
  "price_mismatch",
  "booking_id",
  "booking_status",
  "currency",
  "total_price",
  "total_premium",
  "total_tax",
  "quotes",
  "coi_url",
  "coi_pdf",
  "pds_url",
  "fnol_link",
  "cancel_link",
  "cancelled_at",
  "total_refund",
  "refund",
  "reported",
] as const

/** What a view shows of the booking's cancellation (`listXcoverCancellations`, by `booking_row_id`). */
export const CANCELLATION_VIEW_FIELDS = [
  "booking_row_id",
  "status",
  "reason",
  "last_error",
  "requested_at",
  "attempts",
] as const

type ViewRow = Record<(typeof BOOKING_VIEW_FIELDS)[number], unknown>
type CancellationRow = Record<
  (typeof CANCELLATION_VIEW_FIELDS)[number],
  unknown
>

const amount = (v: unknown): number | null =>
  v === null || v === undefined ? null : Number(v)

/** A booking and its cancellation (if one was asked for) as the admin and the store API read them. */
export function bookingView(
  b: ViewRow,
  c: CancellationRow | undefined
): BookingView {
  // Only the view's fields (the ORM adds others, such as the amounts' raw_ columns).
  const fields = pickFields(b, BOOKING_VIEW_FIELDS) as unknown as BookingView
  return {
    ...fields,
    charged_amount: amount(b.charged_amount),
    total_price: amount(b.total_price),
    total_premium: amount(b.total_premium),
    total_tax: amount(b.total_tax),
    total_refund: amount(b.total_refund),
    quotes: (b.quotes ?? []) as BookingView["quotes"],
    cancellation: c
      ? {
          status: c.status as CancellationStatus,
          reason: String(c.reason),
          last_error: (c.last_error ?? null) as string | null,
          requested_at: c.requested_at as Date,
          attempts: Number(c.attempts),
        }
      : null,
  }
}

export type BookingFilters = {
  status?: BookingStatus
  order_id?: string
  limit: number
  offset: number
}

/** Figures for the admin: policies booked, premium booked (per currency), failed bookings, cancellations and refunds. */
export type BookingStats = {
  booked: number
  failed: number
  pending: number
  /** Held for the merchant's review (`storefrontOfferBooking: "hold_for_review"`). */
  held: number
  cancelled: number
  premium_booked: { currency: string; amount: number }[]
  refunds: { currency: string; amount: number }[]
}

export async function bookingStats(em: SqlExecutor): Promise<BookingStats> {
  // Counted and summed in the database, per group (the model's query builder, which applies no
  // filter: soft-deleted rows are left out here), folded here.
  const [counts, sums] = await Promise.all([
    em
      .createQueryBuilder(BookingEntity)
      .select(["status", "booking_status", raw("count(*)::int as count")])
      .where({ deleted_at: null })
      .groupBy(["status", "booking_status"])
      .execute<
        { status: string; booking_status: string | null; count: number }[]
      >("all", false),
    em
      .createQueryBuilder(BookingEntity)
      .select([
        "currency",
        "booking_status",
        raw("sum(total_premium)::float8 as premium"),
        raw("sum(total_refund)::float8 as refunds"),
      ])
      .where({ status: "booked", currency: { $ne: null }, deleted_at: null })
      .groupBy(["currency", "booking_status"])
      .orderBy({ currency: "asc" })
      .execute<
        {
          currency: string
          booking_status: string | null
          premium: number | null
          refunds: number | null
        }[]
      >("all", false),
  ])
  const count = (match: (row: (typeof counts)[number]) => boolean) =>
    counts.filter(match).reduce((sum, row) => sum + Number(row.count), 0)
  const premium = new Map<string, number>()
  const refunds = new Map<string, number>()
  for (const row of sums) {
    premium.set(
      row.currency,
      (premium.get(row.currency) ?? 0) + Number(row.premium ?? 0)
    )
    if (row.booking_status === "CANCELLED" && row.refunds !== null) {
      refunds.set(
        row.currency,
        (refunds.get(row.currency) ?? 0) + Number(row.refunds)
      )
    }
  }
  const amounts = (by: Map<string, number>) =>
    [...by].map(([currency, amount]) => ({ currency, amount }))
  return {
    booked: count((r) => r.status === "booked"),
    failed: count((r) => r.status === "failed"),
    pending: count((r) =>
      ["pending", "sending", "retrying"].includes(r.status)
    ),
    held: count((r) => r.status === "held"),
    cancelled: count((r) => r.booking_status === "CANCELLED"),
    premium_booked: amounts(premium),
    refunds: amounts(refunds),
  }
}

/**
 * A failed booking (or one held for review) goes back to pending, due now, with a fresh retry window (and a new key when
 * XCover refused the last one: `RENEW_SPENT_KEY_SQL`); the caller dispatches it. The request takes the order's policyholder as it is now, and quote ids when it
 * had none (a plugin-quoted offer keeps its quote).
 */
export async function requeueBooking(
  manager: SqlManager,
  id: string,
  maxAgeMs: number,
  now: { policyholder: Policyholder | null; quote_ids: string[] } = {
    policyholder: null,
    quote_ids: [],
  }
): Promise<boolean> {
  const quotes = now.quote_ids.map((q) => ({ id: q }))
  // Raw SQL: one conditional UPDATE … RETURNING (failed or held only) that merges into the jsonb request
  // (||, jsonb_build_object) and renews a spent key in the same statement.
  const [row] = await manager.execute(
    `UPDATE xcover_booking
     SET status = 'pending', attempts = 0, next_attempt_at = now(), completed_at = NULL, last_error = NULL,
         retry_deadline_at = now() + (? * interval '1 millisecond'), updated_at = now(), ${RENEW_SPENT_KEY_SQL},
         request = request
           || CASE WHEN ?::jsonb IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('policyholder', ?::jsonb) END
           || CASE WHEN jsonb_array_length(COALESCE(request->'quotes', '[]'::jsonb)) = 0 AND jsonb_array_length(?::jsonb) > 0
                   THEN jsonb_build_object('quotes', ?::jsonb) ELSE '{}'::jsonb END
     WHERE id = ? AND status IN ('failed', 'held') AND deleted_at IS NULL
     RETURNING id`,
    [
      maxAgeMs,
      now.policyholder ? JSON.stringify(now.policyholder) : null,
      now.policyholder ? JSON.stringify(now.policyholder) : null,
      JSON.stringify(quotes),
      JSON.stringify(quotes),
      id,
    ]
  )
  return !!row
}

/**
 * The CTEs that decline held bookings (those of `where`, on `b`) and opt their offers out: the
 * offer goes back to `pending`, declined now, through the opt-out outbox; each decline is
 * announced (`xcover.booking.declined`) in the same statement. Only `held` rows move; `declined`
 * lists them. Parameters: the reason, then `where`'s.
 */
export function declineHeldSql(where: string): string {
  return `declined AS (
       UPDATE xcover_booking b SET status = 'declined', last_error = ?, completed_at = now(), next_attempt_at = NULL, updated_at = now()
       WHERE ${where} AND b.status = 'held' AND b.deleted_at IS NULL
       RETURNING b.offer_id, b.order_id, b.last_error),
     opted AS (
       UPDATE xcover_offer o SET status = 'pending', declined_at = now(), next_attempt_at = now(), updated_at = now()
       FROM declined d WHERE o.offer_id = d.offer_id AND o.status = 'selected' AND o.deleted_at IS NULL),
     declined_events AS (
       INSERT INTO xcover_event (id, name, data, attempts, created_at, updated_at)
       SELECT 'xcev_' || replace(gen_random_uuid()::text, '-', ''), 'xcover.booking.declined',
              jsonb_build_object('order_id', d.order_id, 'offer_id', d.offer_id, 'reason', d.last_error), 0, now(), now()
       FROM declined d)`
}

/** Declines one held booking by hand (see `declineHeldSql`); false when it is not held. */
export async function declineHeldBooking(
  em: SqlExecutor,
  id: string,
  reason: string
): Promise<boolean> {
  // Raw SQL: data-modifying CTEs (declineHeldSql): booking declined, offer opted out, event written, in one
  // statement.
  const rows = await em.execute(
    `WITH ${declineHeldSql("b.id = ?")} SELECT offer_id FROM declined`,
    [reason, id]
  )
  return rows.length > 0
}

/**
 * Where a policy is live: booked, being booked or held for review, and not cancelled at XCover
 * (a held one, so that the reconciler declines it when its order no longer pays for it).
 */
const LIVE_POLICY: ObjectQuery<BookingRow> = {
  status: { $nin: ["failed", "declined"] },
  $or: [{ booking_status: null }, { booking_status: { $ne: "CANCELLED" } }],
}

/** The live policies of these orders, and whether each one's cancellation was asked for already. */
export async function livePolicies(
  db: SqlExecutor,
  orderIds: string[]
): Promise<LivePolicy[]> {
  if (!orderIds.length) {
    return []
  }
  const bookings = await findRows(
    db,
    BookingEntity,
    { ...LIVE_POLICY, order_id: { $in: orderIds } },
    ["id", "order_id", "offer_id"]
  )
  const asked = bookings.length
    ? await findRows(
        db,
        CancellationEntity,
        { booking_row_id: { $in: bookings.map((b) => b.id) } },
        ["booking_row_id"]
      )
    : []
  const askedFor = new Set(asked.map((c) => c.booking_row_id))
  return bookings.map((b) => ({
    order_id: b.order_id,
    offer_id: b.offer_id,
    cancellation_asked: askedFor.has(b.id),
  }))
}

/** The next page of orders with a live policy, in id order (the reconciler's full pass). */
export async function ordersWithLivePoliciesAfter(
  db: SqlExecutor,
  afterId: string,
  take: number
): Promise<string[]> {
  // DISTINCT order ids, paged: the model's query builder (which applies no filter: soft-deleted
  // rows are left out here), as plain rows (not entities: these have no primary key).
  const rows = await db
    .createQueryBuilder(BookingEntity)
    .select("order_id", true)
    .where({ ...LIVE_POLICY, order_id: { $gt: afterId }, deleted_at: null })
    .orderBy({ order_id: "asc" })
    .limit(take)
    .execute<{ order_id: string }[]>("all", false)
  return rows.map((r) => String(r.order_id))
}
