import { model } from "@medusajs/framework/utils"

/**
 * The columns every outbox table has (offers' opt-outs, bookings, cancellations): the claim
 * protocol in `outbox/leased-rows.ts` reads and writes exactly these. A fresh set per model.
 */
export function outboxColumns() {
  return {
    attempts: model.number().default(0),
    last_status: model.number().nullable(),
    last_error: model.text().nullable(),
    next_attempt_at: model.dateTime().nullable(),
    lease_until: model.dateTime().nullable(),
    /** Names the claim that holds the lease: only its holder may send or record an outcome. */
    lease_token: model.text().nullable(),
    /** When retrying stops (null: the decision's time + retry.maxAgeMs); moved on while nothing could be sent. */
    retry_deadline_at: model.dateTime().nullable(),
    last_attempt_at: model.dateTime().nullable(),
    completed_at: model.dateTime().nullable(),
  }
}
