import { record } from "../client/json"
import { describeOutcome, resolveReplay } from "../client/outcome"
import { completedStatus, type ClaimedOperation, type OutboxKind } from "./kind"
import { leasedRowMethods, claimRows, type LeasedTable } from "./leased-rows"

export type ClaimedOptOut = ClaimedOperation & { idempotencyKey: string }

const OFFERS: LeasedTable = {
  table: "xcover_offer",
  deadlineBase: "declined_at",
  columns: ["offer_id", "idempotency_key"],
}

/**
 * Opt-outs: the declined offers in `xcover_offer` are their own outbox (pending → sending →
 * opted_out | retrying | rejected | failed). A claim is a lease token and a lease time; the try
 * is counted only when the request really goes out (`startSend`).
 */
function isErrorBody(body: unknown): boolean {
  const b = record(body)
  return !!b && ("type" in b || "message" in b || "errors" in b)
}

export const optOutKind: OutboxKind<ClaimedOptOut> = {
  name: "opt-out",
  bucket: "default",
  ...leasedRowMethods(OFFERS),

  async claim(db, input) {
    const rows = await claimRows(db, OFFERS, input)
    return rows.map((r) => ({
      id: r.id,
      subject: String(r.offer_id),
      idempotencyKey: String(r.idempotency_key),
      leaseToken: input.leaseToken,
      deadline: r.deadline,
    }))
  },

  async send(client, settings, op) {
    const answer = await client.optOut({
      settings,
      offerId: op.subject,
      idempotencyKey: op.idempotencyKey,
    })
    // A 409 replays the key's first answer: an empty one (a 204's) means opted out; an XCover
    // error body means the first try was refused. Guess: no capture of a repeated opt-out key.
    return resolveReplay(answer, (body) => !isErrorBody(body))
  },

  async complete(db, op, { outcome }, next) {
    const status = completedStatus(outcome, next)
    const column = status === "done" ? "opted_out" : status
    const final = status !== "retrying"
    // Raw SQL: one conditional UPDATE … RETURNING (only while this lease token holds), so a lapsed lease writes
    // nothing (the ORM would read, then write).
    const updated = await db.execute(
      `UPDATE xcover_offer
       SET status = ?, last_status = ?, last_error = ?, next_attempt_at = ?, lease_until = NULL, lease_token = NULL,
           completed_at = ${final ? "now()" : "NULL"}, updated_at = now()
       WHERE id = ? AND lease_token = ? AND status = 'sending'
       RETURNING id`,
      [
        column,
        outcome.status,
        status === "done" ? null : describeOutcome(outcome),
        status === "retrying" ? next.nextAttemptAt : null,
        op.id,
        op.leaseToken,
      ]
    )
    return updated.length ? { status } : null
  },
}
