// No imports on purpose: the admin bundle imports this file too.

/**
 * Ledger and outbox in one table: one row per XCover offer shown for a cart.
 *
 * States:
 * - `shown`     recorded for a cart that has not been completed yet
 * - `selected`  the shopper took it (a line item of `order_id` references it, whichever cart
 *               recorded it): never opted out
 * - `pending`   declined; due for an opt-out call at `next_attempt_at`
 * - `sending`   taken by one process until `lease_until`
 * - `retrying`  the last try failed in a way worth retrying (or XCover refused the credentials:
 *               it waits for the circuit to close); due again at `next_attempt_at`
 * - `opted_out` XCover accepted the opt-out (final)
 * - `rejected`  XCover refused it (404/422/...), not retried (final unless retried by hand)
 * - `failed`    retryable failures until the maximum age passed (final unless retried by hand)
 */
export const OFFER_STATUSES = [
  "shown",
  "selected",
  "pending",
  "sending",
  "retrying",
  "opted_out",
  "rejected",
  "failed",
] as const
export type OfferStatus = (typeof OFFER_STATUSES)[number]

/**
 * Every status change the plugin makes, in one table: which statuses an offer may move to from
 * each. The SQL of each change only moves rows from the statuses listed here (and usually fewer:
 * a claim, say, only takes `sending` rows whose lease ran out).
 * - decision: shown → selected | pending; a line item binds pending/retrying/failed/rejected → selected
 * - dispatcher: pending | retrying | sending (lease over) → sending → opted_out | retrying |
 *   rejected | failed, or back to pending | retrying when the send did not happen (or 401/403)
 * - by hand: failed | rejected → pending
 * - a held booking declined (by hand, or its order no longer pays for it): selected → pending
 */
export const OFFER_TRANSITIONS: Record<OfferStatus, readonly OfferStatus[]> = {
  shown: ["selected", "pending"],
  selected: ["pending"],
  pending: ["sending", "selected"],
  sending: [
    "sending",
    "opted_out",
    "retrying",
    "rejected",
    "failed",
    "pending",
  ],
  retrying: ["sending", "selected"],
  opted_out: [],
  rejected: ["pending", "selected"],
  failed: ["pending", "selected"],
}

/** The statuses from which an offer may move to `to`. */
export function statusesInto(to: OfferStatus): OfferStatus[] {
  return OFFER_STATUSES.filter((from) => OFFER_TRANSITIONS[from].includes(to))
}

/**
 * The booking of a taken offer (table `xcover_booking`): its own outbox row and, once XCover
 * confirmed it, the policy.
 * - `pending`   decided at order placement; due for a confirm call at `next_attempt_at`
 * - `sending`   taken by one process until `lease_until`
 * - `retrying`  the last try failed in a way worth retrying; due again at `next_attempt_at`
 * - `booked`    XCover confirmed it (200, or 409 with the same booking, or it already existed)
 * - `failed`    XCover refused it (404, 422, ...), retries ran out, or the order lacked what a
 *               confirm needs: serious, the shopper paid; retried by hand once the cause is fixed
 * - `held`      a storefront's offer, held for the merchant's review (`storefrontOfferBooking:
 *               "hold_for_review"`): XCover's price is not known before booking; sent when the
 *               merchant books it
 * - `declined`  a held booking the merchant declined, or whose order no longer pays for it: the
 *               offer is opted out instead (final)
 */
export const BOOKING_STATUSES = [
  "pending",
  "sending",
  "retrying",
  "booked",
  "failed",
  "held",
  "declined",
] as const
export type BookingStatus = (typeof BOOKING_STATUSES)[number]

/** - dispatcher: pending | retrying | sending (lease over) → sending → booked | retrying | failed, or back
 *  - by hand: failed | held → pending; held → declined (also by the reconciler) */
export const BOOKING_TRANSITIONS: Record<
  BookingStatus,
  readonly BookingStatus[]
> = {
  pending: ["sending"],
  sending: ["sending", "booked", "retrying", "failed", "pending"],
  retrying: ["sending"],
  booked: [],
  failed: ["pending"],
  held: ["pending", "declined"],
  declined: [],
}

/**
 * A booking's cancellation (table `xcover_cancellation`, one per booking: never cancelled twice).
 * - `pending`   asked for (order cancelled, cover returned, or by hand); due at `next_attempt_at`
 *               (none while the booking itself is not booked yet)
 * - `sending`   taken by one process until `lease_until` (a preview, then the confirmation)
 * - `retrying`  the last try failed in a way worth retrying
 * - `cancelled` XCover cancelled it (or had already): the refund it computed is on the booking
 * - `failed`    XCover refused it, or retries ran out; retried by hand
 */
export const CANCELLATION_STATUSES = [
  "pending",
  "sending",
  "retrying",
  "cancelled",
  "failed",
] as const
export type CancellationStatus = (typeof CANCELLATION_STATUSES)[number]

/** - dispatcher: pending | retrying | sending (lease over) → sending → pending (previewed) | cancelled | retrying | failed
 *  - webhook: pending | retrying → cancelled (XCover says it is cancelled already)
 *  - by hand: failed → pending */
export const CANCELLATION_TRANSITIONS: Record<
  CancellationStatus,
  readonly CancellationStatus[]
> = {
  pending: ["sending", "cancelled"],
  sending: ["sending", "pending", "cancelled", "retrying", "failed"],
  retrying: ["sending", "cancelled"],
  cancelled: [],
  failed: ["pending"],
}

/**
 * A booked policy's read-back from XCover (table `xcover_readback`, one per booking): XCover is
 * the other side of the books, read on a schedule and after each webhook.
 * - `pending`   due at `next_attempt_at` (a webhook: now; else the schedule)
 * - `sending`   taken by one process until `lease_until`
 * - `retrying`  XCover could not be read; due again at `next_attempt_at` (never given up)
 * - `done`      nothing more to read: the policy is cancelled, or past the schedule's end
 * - `failed`    XCover refused the read (404: it does not know the policy): drift, shown in the admin
 */
export const READBACK_STATUSES = [
  "pending",
  "sending",
  "retrying",
  "done",
  "failed",
] as const
export type ReadbackStatus = (typeof READBACK_STATUSES)[number]
