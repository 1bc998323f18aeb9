import { model } from "@medusajs/framework/utils"

/**
 * Ledger and outbox in one table: one row per XCover offer shown for a cart.
 *
 * States:
 * - `shown`     recorded for a cart that has not been completed yet (`next_attempt_at` is then
 *               when to check again whether the cart was completed without us hearing of it)
 * - `selected`  the shopper took it (a line item references it): never opted out
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

/** How the plugin learnt of an offer: the store route, cart metadata, or only a line item (taken). */
export const OFFER_SOURCES = ["store_route", "cart_metadata", "line_item"] as const
export type OfferSource = (typeof OFFER_SOURCES)[number]

const XcoverOffer = model
  .define("xcover_offer", {
    id: model.id({ prefix: "xco" }).primaryKey(),
    offer_id: model.text().unique(),
    cart_id: model.text().index(),
    order_id: model.text().nullable(),
    source: model.enum([...OFFER_SOURCES]).default("store_route"),
    status: model.enum([...OFFER_STATUSES]).default("shown"),
    attempts: model.number().default(0),
    /** Sent as `x-idempotency-key` on every attempt for this offer. */
    idempotency_key: model.text(),
    last_status: model.number().nullable(),
    last_error: model.text().nullable(),
    declined_at: model.dateTime().nullable(),
    next_attempt_at: model.dateTime().nullable(),
    lease_until: model.dateTime().nullable(),
    last_attempt_at: model.dateTime().nullable(),
    completed_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["order_id"], where: "order_id IS NOT NULL" },
    { on: ["status", "next_attempt_at"] },
  ])

export default XcoverOffer
