import { model } from "@medusajs/framework/utils"

/**
 * Durable position of the lost-`order.placed` recovery, shared by every process: one row per
 * cursor (`name = 'orders'`). Orders up to (`after_created_at`, `after_id`) have been compared
 * with the ledger. The lease lets one process at a time move it, so none skips an order.
 */
const XcoverRecoveryCursor = model.define("xcover_recovery_cursor", {
  id: model.id({ prefix: "xcrc" }).primaryKey(),
  name: model.text().unique(),
  after_created_at: model.dateTime(),
  after_id: model.text(),
  lease_owner: model.text().nullable(),
  lease_until: model.dateTime().nullable(),
})

export default XcoverRecoveryCursor
