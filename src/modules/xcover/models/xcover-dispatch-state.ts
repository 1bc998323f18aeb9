import { model } from "@medusajs/framework/utils"

/**
 * What every process sending to XCover shares, in one row (`scope = 'default'`): the plugin
 * talks to one XCover account at a time (the settings in effect), so this is that account's
 * rate budget, its 429 pause, its credential circuit and the clock skew seen in its answers.
 * Rows are changed only by single conditional statements on the database clock, so the state
 * holds across any number of instances.
 */
const XcoverDispatchState = model.define("xcover_dispatch_state", {
  id: model.id({ prefix: "xcds" }).primaryKey(),
  scope: model.text().unique(),
  /** The next free send slot: a send happens only at a slot reserved by moving this forward. */
  next_slot_at: model.dateTime().nullable(),
  /** The same for Confirm Offer, which XCover limits apart from the other calls (50/s, not 20/s). */
  next_offer_slot_at: model.dateTime().nullable(),
  /** After a 429: no send before this time, in any process. */
  paused_until: model.dateTime().nullable(),
  /** Set while XCover refuses the credentials (401/403): nothing is sent but one probe. */
  circuit_opened_at: model.dateTime().nullable(),
  circuit_probe_at: model.dateTime().nullable(),
  circuit_probes: model.number().default(0),
  circuit_reason: model.text().nullable(),
  /** Fingerprint of the settings the circuit was opened with: new settings are probed at once. */
  circuit_settings: model.text().nullable(),
  /** Since when nothing could be sent (no credentials, disabled, circuit open): retry.maxAgeMs is paused. */
  unavailable_since: model.dateTime().nullable(),
  /** XCover's `Date` minus the local clock, when more than a minute apart. */
  clock_skew_ms: model.number().nullable(),
  clock_skew_at: model.dateTime().nullable(),
})

export default XcoverDispatchState
