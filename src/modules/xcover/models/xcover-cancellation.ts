import { model } from "@medusajs/framework/utils"
import { CANCELLATION_STATUSES } from "../offer-statuses"

/** Why a booking is being cancelled. */
export const CANCELLATION_REASONS = ["order_canceled", "returned", "admin"] as const
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
    attempts: model.number().default(0),
    last_status: model.number().nullable(),
    last_error: model.text().nullable(),
    requested_at: model.dateTime(),
    next_attempt_at: model.dateTime().nullable(),
    lease_until: model.dateTime().nullable(),
    lease_token: model.text().nullable(),
    retry_deadline_at: model.dateTime().nullable(),
    last_attempt_at: model.dateTime().nullable(),
    completed_at: model.dateTime().nullable(),
  })
  .indexes([{ on: ["status", "next_attempt_at"] }])

export default XcoverCancellation
