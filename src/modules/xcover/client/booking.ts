import { record, text, num } from "./json"
import { hasReason, type XcoverOutcome } from "./outcome"

/** A policy as XCover's Confirm Offer / Get Booking answer it (the fields the plugin keeps). */
export type XcoverBooking = {
  booking_id: string
  booking_status: string | null
  currency: string | null
  total_price: number | null
  total_premium: number | null
  total_tax: number | null
  quotes: {
    id: string
    status: string | null
    price: number | null
    policy_name: string | null
  }[]
  coi_url: string | null
  coi_pdf: string | null
  pds_url: string | null
  fnol_link: string | null
  cancel_link: string | null
}

/** An answer's quotes that carry an id, each read by `read`; anything else in the list is skipped. */
function quotesOf<T>(
  value: unknown,
  read: (quote: Record<string, unknown>, id: string) => T
): T[] {
  return (Array.isArray(value) ? value : []).flatMap((q) => {
    const quote = record(q)
    return quote && typeof quote.id === "string" ? [read(quote, quote.id)] : []
  })
}

/** Reads a booking; null without an id. Unknown fields are ignored. */
export function parseBooking(body: unknown): XcoverBooking | null {
  const b = record(body)
  if (!b || typeof b.id !== "string" || !b.id) {
    return null
  }
  const coi = record(b.coi)
  return {
    booking_id: b.id,
    booking_status: text(b.status),
    currency: text(b.currency),
    total_price: num(b.total_price),
    total_premium: num(b.total_premium),
    total_tax: num(b.total_tax),
    quotes: quotesOf(b.quotes, (quote, id) => ({
      id,
      status: text(quote.status),
      price: num(quote.price),
      policy_name: text(record(quote.policy)?.policy_name),
    })),
    coi_url: text(coi?.url),
    coi_pdf: text(coi?.pdf),
    pds_url: text(b.pds_url),
    fnol_link: text(b.fnol_link),
    cancel_link: text(b.cancel_link),
  }
}

/**
 * XCover's refusal of a confirm of an offer booked before without this key (captured live,
 * confirm-repeat: 422, reason in `errors`): "Booking already exists for fast_quote_id <offer>.
 * INS number: <booking id>"; also when a 409 replays that refusal. Returns that booking id: the
 * offer is booked, its booking is read rather than the confirm failing.
 */
export function existingBookingId(outcome: XcoverOutcome): string | null {
  if (outcome.status !== 422 && outcome.status !== 409) {
    return null
  }
  return (
    hasReason(
      outcome,
      /Booking already exists\b.*INS number:\s*([A-Za-z0-9_-]+)/
    )?.[1] ?? null
  )
}

/**
 * What a cancellation (or its preview) says XCover refunds: total and per quote. A preview's
 * `status` is not kept: XCover answers it `CANCELLED` (what the booking would be: captured live,
 * cancel-twostep-preview) while nothing has changed yet.
 */
export type XcoverRefund = {
  cancellation_id: string | null
  confirm_before: string | null
  currency: string | null
  total_refund: number | null
  quotes: {
    id: string
    refund_value: number | null
    adjustment_fee: number | null
  }[]
}

export function parseRefund(body: unknown): XcoverRefund | null {
  const b = record(body)
  if (!b) {
    return null
  }
  return {
    cancellation_id: text(b.cancellation_id),
    confirm_before: text(b.confirm_before),
    currency: text(b.currency),
    total_refund: num(b.total_refund) ?? num(b.refund_amount),
    quotes: quotesOf(b.quotes, (quote, id) => ({
      id,
      refund_value: num(quote.refund_value),
      adjustment_fee: num(quote.adjustment_fee),
    })),
  }
}

/**
 * XCover's refusal to cancel a booking cancelled already (captured live, cancel-repeat: 422, reason
 * in `errors`): "Status change not allowed for QuotePackage in status CANCELLED". Irreversible,
 * so the cancellation is done (our lost answer, or the customer through XCover's cancel link).
 */
export function alreadyCancelled(outcome: XcoverOutcome): boolean {
  return (
    (outcome.status === 422 || outcome.status === 409) &&
    hasReason(outcome, /Status change not allowed\b.*\bstatus CANCELLED\b/i) !==
      null
  )
}
