import { model } from "@medusajs/framework/utils"

/**
 * A booking's history: every accepted webhook event and every cancellation, as received. The
 * digest makes a replayed webhook a no-op.
 */
const XcoverBookingEvent = model
  .define("xcover_booking_event", {
    id: model.id({ prefix: "xcbe" }).primaryKey(),
    booking_row_id: model.text().index(),
    source: model.enum(["webhook", "cancellation"]),
    event: model.text(),
    payload: model.json(),
    digest: model.text(),
  })
  .indexes([{ on: ["booking_row_id", "digest"], unique: true }])

export default XcoverBookingEvent
