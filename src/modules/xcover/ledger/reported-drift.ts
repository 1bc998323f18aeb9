import type { XcoverBooking } from "../client/booking"
import { samePrice } from "../same-price"

/**
 * What XCover reported for a policy where it disagrees with the ledger in a way the plugin does
 * not apply by itself, kept on the booking (`reported`) with both sides visible to the merchant:
 *
 * - `price`: XCover's total price (or premium, or currency) differs from what the policy was
 *   booked at. The booked price is what the store confirmed and charged against: it stays.
 * - `status`: XCover holds the policy live (not CANCELLED) while the ledger has it cancelled
 *   (by the store, or at XCover earlier). A cancellation is irreversible at XCover, so this is
 *   never applied: a person asks XCover.
 *
 * Not drift, because it is applied: a policy XCover reports CANCELLED while the ledger has it
 * live is cancelled here and its refund announced (the customer cancelled through XCover).
 */
export type ReportedDrift = {
  differs: ("price" | "status")[]
  status: string | null
  currency: string | null
  total_price: number | null
  total_premium: number | null
}

/** As kept on the booking and shown: with when XCover last reported it (the read's time, on the database clock). */
export type ReportedView = ReportedDrift & { reported_at: string }

/** The ledger's side of the comparison. */
export type LedgerPolicy = {
  booking_status: string | null
  currency: string | null
  total_price: number | null
  total_premium: number | null
}

/** Amounts in major units: a difference under half a cent is rounding, not drift. */
const differ = (ours: number | null, theirs: number | null) =>
  ours !== null && theirs !== null && !samePrice(ours, theirs)

/** XCover's answer compared with the ledger: what is reported differently, or null when they agree. */
export function reportedDrift(
  ledger: LedgerPolicy,
  xcover: XcoverBooking
): ReportedDrift | null {
  const status = xcover.booking_status?.toUpperCase() ?? null
  const differs: ReportedDrift["differs"] = []
  if (
    ledger.booking_status === "CANCELLED" &&
    status !== null &&
    status !== "CANCELLED"
  ) {
    differs.push("status")
  }
  // A cancelled booking's totals come back 0 at XCover: prices are compared while both hold it live.
  const live = ledger.booking_status !== "CANCELLED" && status !== "CANCELLED"
  const currencyDiffers = Boolean(
    ledger.currency &&
    xcover.currency &&
    ledger.currency.toUpperCase() !== xcover.currency.toUpperCase()
  )
  if (
    live &&
    (currencyDiffers ||
      differ(ledger.total_price, xcover.total_price) ||
      differ(ledger.total_premium, xcover.total_premium))
  ) {
    differs.push("price")
  }
  if (!differs.length) {
    return null
  }
  return {
    differs,
    status,
    currency: xcover.currency,
    total_price: xcover.total_price,
    total_premium: xcover.total_premium,
  }
}
