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
 * - `retrying`  the last try failed in a way worth retrying; due again at `next_attempt_at`
 * - `opted_out` XCover accepted the opt-out (final)
 * - `rejected`  XCover refused it (403/404/422/...), not retried (final unless retried by hand)
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
