import { model } from "@medusajs/framework/utils"
import { outboxColumns } from "./outbox-columns"
import { CANCELLATION_STATUSES } from "../statuses"

/** Why a booking is being cancelled. */
export const CANCELLATION_REASONS = [
  "order_canceled",
  "returned",
  "order_edited",
  "admin",
] as const
export type CancellationReason = (typeof CANCELLATION_REASONS)[number]

/**
 * One row per booking to cancel: the outbox of XCover's two-step cancellation (preview, then
 * confirm_cancellation). Unique per booking, so a booking is never cancelled twice.
 */
const XcoverCancellation = model
  .define("xcover_cancellation", {
    id: model.id({ prefix: "xcx" }).primaryKey(),
    booking_row_id: model.text().unique(),
    offer_id: model.text(),
    order_id: model.text().index(),
    reason: model.enum([...CANCELLATION_REASONS]),
    status: model.enum([...CANCELLATION_STATUSES]).default("pending"),
    /** From the preview; the confirmation names it. */
    cancellation_id: model.text().nullable(),
    confirm_before: model.dateTime().nullable(),
    requested_at: model.dateTime(),
    ...outboxColumns(),
  })
  .indexes([{ on: ["status", "next_attempt_at"] }])

export default XcoverCancellation
