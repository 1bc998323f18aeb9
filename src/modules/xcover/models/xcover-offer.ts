import { model } from "@medusajs/framework/utils"
import { OFFER_STATUSES } from "../offer-statuses"

export { OFFER_STATUSES, type OfferStatus } from "../offer-statuses"

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
    /** Names the claim that holds the lease: only its holder may send or record an outcome. */
    lease_token: model.text().nullable(),
    /** When retrying stops (null: declined_at + retry.maxAgeMs); moved on while nothing could be sent. */
    retry_deadline_at: model.dateTime().nullable(),
    last_attempt_at: model.dateTime().nullable(),
    completed_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["order_id"], where: "order_id IS NOT NULL" },
    { on: ["status", "next_attempt_at"] },
  ])

export default XcoverOffer
