import { model } from "@medusajs/framework/utils"
import { outboxColumns } from "./outbox-columns"
import { BOOKING_STATUSES } from "../statuses"

/**
 * One row per taken offer: the outbox of its confirm call and, once confirmed, the policy as
 * XCover answered it. Written in the same transaction as the order's decision.
 */
const XcoverBooking = model
  .define("xcover_booking", {
    id: model.id({ prefix: "xcb" }).primaryKey(),
    offer_id: model.text().unique(),
    order_id: model.text().index(),
    cart_id: model.text(),
    status: model.enum([...BOOKING_STATUSES]).default("pending"),
    /** The Confirm Offer body, fixed at the decision: every try sends the same request. */
    request: model.json(),
    /** Sent as `x-idempotency-key` on every try. */
    idempotency_key: model.text(),
    /** What the order charged for the cover (major units), to compare with what XCover booked. */
    charged_amount: model.bigNumber().nullable(),
    charged_currency: model.text().nullable(),
    decided_at: model.dateTime(),
    ...outboxColumns(),
    // ---- The policy (XCover's booking) ----
    booking_id: model.text().nullable(),
    booking_status: model.text().nullable(),
    currency: model.text().nullable(),
    total_price: model.bigNumber().nullable(),
    total_premium: model.bigNumber().nullable(),
    total_tax: model.bigNumber().nullable(),
    /** Per quote: id, status, price, policy name. */
    quotes: model.json().nullable(),
    coi_url: model.text().nullable(),
    coi_pdf: model.text().nullable(),
    pds_url: model.text().nullable(),
    fnol_link: model.text().nullable(),
    cancel_link: model.text().nullable(),
    /** XCover booked another total than the order charged: booked, and shown to the merchant. */
    price_mismatch: model.boolean().default(false),
    // ---- After a cancellation (by the plugin, or at XCover as a webhook says) ----
    cancelled_at: model.dateTime().nullable(),
    /** What XCover computed to refund (the merchant pays it back): total and per quote. */
    total_refund: model.bigNumber().nullable(),
    refund: model.json().nullable(),
    // ---- What XCover reports and the ledger does not apply (ledger/reported-drift.ts) ----
    /** The last read-back that disagreed: differs (price, status), XCover's status, currency, prices, reported_at. Null while they agree. */
    reported: model.json().nullable(),
  })
  .indexes([
    { on: ["status", "next_attempt_at"] },
    // The sales report's days: premium on the order's day, refunds on the cancellation's.
    { on: ["decided_at"] },
    { on: ["cancelled_at"], where: "cancelled_at IS NOT NULL" },
  ])

export default XcoverBooking
