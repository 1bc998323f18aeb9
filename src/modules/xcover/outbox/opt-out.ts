import { describeOutcome } from "../client/outcome"
import type { RetryPolicy } from "./backoff"
import { RESUME_AT_SQL, SENDING_ALLOWED_SQL } from "./dispatch-state"
import type { ClaimedOperation, CompletedStatus, OutboxKind } from "./kind"

const MS = "* interval '1 millisecond'"

export type ClaimedOptOut = ClaimedOperation & { idempotencyKey: string }

/**
 * Opt-outs: the declined offers in `xcover_offer` are their own outbox (pending → sending →
 * opted_out | retrying | rejected | failed). A claim is a lease token and a lease time; the try
 * is counted only when the request really goes out (`startSend`).
 */
export const optOutKind: OutboxKind<ClaimedOptOut> = {
  name: "opt-out",

  async claim(db, { limit, leaseMs, leaseToken, maxAgeMs, filter }) {
    const rows = await db.execute(
      `UPDATE xcover_offer AS o
       SET status = 'sending', lease_token = ?, lease_until = clock_timestamp() + (? ${MS}), updated_at = now()
       WHERE o.id IN (
         SELECT id FROM xcover_offer
         WHERE deleted_at IS NULL
           AND ((status IN ('pending', 'retrying') AND next_attempt_at <= now())
             OR (status = 'sending' AND lease_until < now()))
           ${filter.order_id ? "AND order_id = ?" : ""}
         ORDER BY next_attempt_at NULLS FIRST
         LIMIT ?
         FOR UPDATE SKIP LOCKED)
       RETURNING o.id, o.offer_id, o.idempotency_key, COALESCE(o.retry_deadline_at, o.declined_at + (? ${MS})) AS deadline`,
      [leaseToken, leaseMs, ...(filter.order_id ? [filter.order_id] : []), limit, maxAgeMs]
    )
    return rows.map((r) => ({
      id: String(r.id),
      subject: String(r.offer_id),
      idempotencyKey: String(r.idempotency_key),
      leaseToken,
      deadline: new Date(r.deadline as string | Date),
    }))
  },

  async startSend(db, op, leaseMs) {
    const [r] = await db.execute(
      `UPDATE xcover_offer
       SET attempts = attempts + 1, last_attempt_at = clock_timestamp(), lease_until = clock_timestamp() + (? ${MS}), updated_at = now()
       WHERE id = ? AND lease_token = ? AND status = 'sending' AND ${SENDING_ALLOWED_SQL}
       RETURNING attempts, (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS db_now_ms`,
      [leaseMs, op.id, op.leaseToken]
    )
    return r ? { attempt: Number(r.attempts), dbNowMs: Number(r.db_now_ms), localNowMs: Date.now() } : null
  },

  send(client, settings, op) {
    return client.optOut({ settings, offerId: op.subject, idempotencyKey: op.idempotencyKey })
  },

  async complete(db, op, outcome, next) {
    const status: CompletedStatus =
      outcome.kind === "done" ? "done" : outcome.kind === "retryable" ? (next.giveUp ? "failed" : "retrying") : "rejected"
    const column = status === "done" ? "opted_out" : status
    const final = status !== "retrying"
    const updated = await db.execute(
      `UPDATE xcover_offer
       SET status = ?, last_status = ?, last_error = ?, next_attempt_at = ?, lease_until = NULL, lease_token = NULL,
           completed_at = ${final ? "now()" : "NULL"}, updated_at = now()
       WHERE id = ? AND lease_token = ? AND status = 'sending'
       RETURNING id`,
      [column, outcome.status, status === "done" ? null : describeOutcome(outcome), status === "retrying" ? next.nextAttemptAt : null, op.id, op.leaseToken]
    )
    return updated.length ? status : null
  },

  async release(db, op, { outcome, counted }) {
    const attempts = counted ? "attempts - 1" : "attempts"
    await db.execute(
      `UPDATE xcover_offer
       SET attempts = ${attempts}, status = CASE WHEN ${attempts} > 0 THEN 'retrying' ELSE 'pending' END,
           next_attempt_at = ${RESUME_AT_SQL}, lease_until = NULL, lease_token = NULL, updated_at = now()
           ${outcome ? ", last_status = ?, last_error = ?" : ""}
       WHERE id = ? AND lease_token = ? AND status = 'sending'`,
      [...(outcome ? [outcome.status, describeOutcome(outcome)] : []), op.id, op.leaseToken]
    )
  },

  async extendDeadlines(db, gapMs, policy: RetryPolicy) {
    await db.execute(
      `UPDATE xcover_offer
       SET retry_deadline_at = COALESCE(retry_deadline_at, declined_at + (? ${MS})) + (? ${MS})
       WHERE deleted_at IS NULL AND declined_at IS NOT NULL AND status IN ('pending', 'retrying', 'sending')`,
      [policy.maxAgeMs, gapMs]
    )
  },
}
