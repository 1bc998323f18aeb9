import { model } from "@medusajs/framework/utils"

/**
 * Create Offer calls a cart made in its current one-minute window, shared by every process:
 * anyone with a cart id can ask for quotes, and each one is a call with the merchant's
 * credentials. One row per cart that ever asked XCover.
 */
const XcoverQuoteBudget = model.define("xcover_quote_budget", {
  id: model.id({ prefix: "xcqb" }).primaryKey(),
  cart_id: model.text().unique(),
  window_started_at: model.dateTime(),
  calls: model.number().default(0),
})

export default XcoverQuoteBudget
