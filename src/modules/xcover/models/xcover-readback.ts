import { model } from "@medusajs/framework/utils"
import { READBACK_STATUSES } from "../statuses"
import { outboxColumns } from "./outbox-columns"

/**
 * The outbox of Get Booking read-backs: one row per booked policy, due after each webhook (the
 * webhook itself is kept first and answered 200) and on a schedule that favours recent policies.
 * What XCover answers is applied as a webhook's would be.
 */
const XcoverReadback = model
  .define("xcover_readback", {
    id: model.id({ prefix: "xcrb" }).primaryKey(),
    booking_row_id: model.text().unique(),
    order_id: model.text().index(),
    status: model.enum([...READBACK_STATUSES]).default("pending"),
    /** When it was last due because of a webhook (reads favour the hour after one). */
    nudged_at: model.dateTime().nullable(),
    /** When XCover was last read for this policy. */
    read_at: model.dateTime().nullable(),
    ...outboxColumns(),
  })
  .indexes([{ on: ["status", "next_attempt_at"] }])

export default XcoverReadback
