import { model } from "@medusajs/framework/utils"

/**
 * Durable position of a pass over orders, shared by every process: one row per cursor (`orders`:
 * recovery of lost `order.placed`; `changed_orders` and `full_pass`: the reconciler). Orders up to
 * (`after_created_at`, `after_id`) have been compared with the ledger. The lease lets one process
 * at a time move it, so none skips an order. The reconciler's rows also keep its figures.
 */
const XcoverRecoveryCursor = model.define("xcover_recovery_cursor", {
  id: model.id({ prefix: "xcrc" }).primaryKey(),
  name: model.text().unique(),
  after_created_at: model.dateTime(),
  after_id: model.text(),
  lease_owner: model.text().nullable(),
  lease_until: model.dateTime().nullable(),
  /** Totals since install: orders checked, decided late, drift repaired by why (reconciler). */
  figures: model.json().nullable(),
  last_run_at: model.dateTime().nullable(),
  /** Full pass: when it last reached the end. */
  completed_at: model.dateTime().nullable(),
  /** Orders whose reconciliation failed, tried again in every run until they pass (`changed_orders`). */
  retry_order_ids: model.json().nullable(),
})

export default XcoverRecoveryCursor
