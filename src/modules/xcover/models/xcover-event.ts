import { model } from "@medusajs/framework/utils"

/**
 * Events the plugin announces to the store's code (`xcover.booking.confirmed`, `.failed`,
 * `.cancelled`, `xcover.cancellation.failed`), written in the same transaction as the outcome
 * they announce and published until the event bus took them: a crash or a bus outage between
 * the two delays an event, never loses it. `id` goes out in the event's data, the same on every
 * delivery, so a subscriber can drop a repeat.
 */
const XcoverEvent = model
  .define("xcover_event", {
    id: model.id({ prefix: "xcev" }).primaryKey(),
    name: model.text(),
    data: model.json(),
    /** Set once the event bus accepted it. */
    published_at: model.dateTime().nullable(),
    attempts: model.number().default(0),
    last_error: model.text().nullable(),
    /** A publisher's claim, so two processes do not publish the same event at once. */
    lease_until: model.dateTime().nullable(),
  })
  .indexes([{ on: ["published_at", "created_at"] }])

export default XcoverEvent
