import { model } from "@medusajs/framework/utils"
import { outboxColumns } from "./outbox-columns"
import { OFFER_STATUSES } from "../statuses"

export { OFFER_STATUSES, type OfferStatus } from "../statuses"

/**
 * How the plugin learnt of an offer: it asked XCover itself (`plugin_quote`), or a storefront
 * created the offer and told it through the store route, cart metadata, or only a line item (taken).
 */
export const OFFER_SOURCES = [
  "store_route",
  "cart_metadata",
  "line_item",
  "plugin_quote",
] as const
export type OfferSource = (typeof OFFER_SOURCES)[number]

const XcoverOffer = model
  .define("xcover_offer", {
    id: model.id({ prefix: "xco" }).primaryKey(),
    offer_id: model.text().unique(),
    cart_id: model.text().index(),
    order_id: model.text().nullable(),
    source: model.enum([...OFFER_SOURCES]).default("store_route"),
    status: model.enum([...OFFER_STATUSES]).default("shown"),
    /** Sent as `x-idempotency-key` on every attempt for this offer. */
    idempotency_key: model.text(),
    declined_at: model.dateTime().nullable(),
    ...outboxColumns(),
    // ---- Offers the plugin quoted (source `plugin_quote`) ----
    /** The cart line item the offer covers. */
    line_item_id: model.text().nullable(),
    /** That line when quoted (`quantity x unit_price`): a different value makes the offer stale. */
    line_fingerprint: model.text().nullable(),
    currency: model.text().nullable(),
    /** The offer's quotes as XCover priced them: what the storefront shows and the cart charges. */
    quotes: model.json().nullable(),
    /** XCover's display copy for the offer (heading, CTAs, disclaimer, extras). */
    content: model.json().nullable(),
    /** A newer quote for the same line replaced this one: it can no longer be selected. */
    replaced_at: model.dateTime().nullable(),
    /** The quote the order bought (set with `selected` for plugin-quoted offers). */
    taken_quote_id: model.text().nullable(),
  })
  .indexes([
    { on: ["order_id"], where: "order_id IS NOT NULL" },
    { on: ["status", "next_attempt_at"] },
    { on: ["cart_id", "line_item_id"], where: "line_item_id IS NOT NULL" },
    // The sales report's days (reporting/sales-report.ts) and the log's date filter.
    { on: ["created_at"] },
  ])

export default XcoverOffer
