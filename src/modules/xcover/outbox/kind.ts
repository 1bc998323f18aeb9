import type { XcoverOutcome } from "../client/outcome"
import type {
  XcoverAnswer,
  XcoverCallSettings,
  XcoverClient,
} from "../client/xcover-client"
import type { RetryPolicy } from "./backoff"
import type { Bucket } from "./dispatch-state"
import type { SqlExecutor, SqlManager } from "../sql"
import type { Settled } from "./settled"

/** One operation taken from the outbox by one process, until its lease ends. */
export type ClaimedOperation = {
  /** Row id in the kind's table. */
  id: string
  /** What the log names (the offer id, a booking id). */
  subject: string
  /** Names this claim: only its holder may send or record an outcome. */
  leaseToken: string
  /** When retrying stops, on the database clock. */
  deadline: Date
}

/** The claim, checked and extended right before the request goes out. */
export type StartedSend = {
  /** Number of this try (sends so far, this one included). */
  attempt: number
  /** Database time at the check, and this process's clock then. */
  dbNowMs: number
  localNowMs: number
}

/**
 * One more request within the account's budget, at a slot of its own (after any 429 pause, never
 * while the circuit is open), its answer seen by the pause and circuit logic like any other. When
 * it cannot go out soon, it resolves to a retryable outcome of type `not_sent`.
 */
export const NOT_SENT = "not_sent"

export type BudgetedCall = (
  call: (client: XcoverClient) => Promise<XcoverAnswer>
) => Promise<XcoverAnswer>

export type CompletedStatus = "done" | "retrying" | "rejected" | "failed"

/**
 * What writing an outcome did: the operation's status and, when it reached an end worth telling
 * (booked, cancelled, failed, read back), what it settled. The kind returns it; the dispatcher
 * logs it, publishes the events written with it and sends what it made due.
 */
export type Completion = { status: CompletedStatus; settled?: Settled }

/** What an answer makes of an operation, the same for every kind: done, retried (or given up), or rejected. */
export function completedStatus(
  outcome: XcoverOutcome,
  next: { giveUp: boolean }
): CompletedStatus {
  if (outcome.kind === "done") {
    return "done"
  }
  return outcome.kind === "retryable"
    ? next.giveUp
      ? "failed"
      : "retrying"
    : "rejected"
}

/**
 * A kind of XCover call made through the outbox (opt-out, confirm, cancel, read-back): the
 * state-changing ones must happen exactly once. The dispatcher owns when and how fast; a kind owns its rows and its
 * request. Every method that writes is conditional on the claim (`leaseToken`), so a process
 * whose lease was taken over changes nothing.
 */
export interface OutboxKind<Op extends ClaimedOperation = ClaimedOperation> {
  readonly name: string
  /** Whose slots it takes: Confirm Offer has its own, larger limit at XCover; the rest share one. */
  readonly bucket: Bucket
  /** Due operations (and ones whose lease ran out), at most `limit`, leased for `leaseMs`. */
  claim(db: SqlExecutor, input: ClaimInput): Promise<Op[]>
  /** Counts the try and extends the lease, only if the claim still holds and sending is allowed. */
  startSend(
    db: SqlExecutor,
    op: Op,
    leaseMs: number
  ): Promise<StartedSend | null>
  /**
   * The call, at the slot the dispatcher reserved for it. A kind that needs a second request
   * (reading a booking that already exists) makes it through `another`, at a slot of its own.
   */
  send(
    client: XcoverClient,
    settings: XcoverCallSettings,
    op: Op,
    another: BudgetedCall
  ): Promise<XcoverAnswer>
  /** Extends the claim's lease (a second request waits for its slot); false when the claim no longer holds. */
  holdLease(db: SqlExecutor, op: Op, leaseMs: number): Promise<boolean>
  /**
   * Writes the outcome (and what the answer's body says, and the event that announces it, in one
   * transaction) and returns what it did; null when the claim no longer held.
   */
  complete(
    db: SqlManager,
    op: Op,
    answer: XcoverAnswer,
    next: { giveUp: boolean; nextAttemptAt: Date | null }
  ): Promise<Completion | null>
  /**
   * Puts a claimed operation back as due: unsent (`counted` when `startSend` had counted the
   * try), or with the answer that stopped it (401/403: sent, so the try stays counted).
   */
  release(
    db: SqlExecutor,
    op: Op,
    how: { outcome: XcoverOutcome | null; counted: boolean }
  ): Promise<void>
  /** In how many ms the next operation falls due (null: none waits), so the dispatcher can wake then. */
  nextDueInMs(db: SqlExecutor): Promise<number | null>
  /** Moves every waiting operation's deadline on by `gapMs` (nothing could be sent meanwhile). */
  extendDeadlines(
    db: SqlExecutor,
    gapMs: number,
    policy: RetryPolicy
  ): Promise<void>
}

export type OutboxFilter = { order_id?: string }

/** What a claim asks for: how many, for how long, under which token, and whose. */
export type ClaimInput = {
  limit: number
  leaseMs: number
  leaseToken: string
  maxAgeMs: number
  filter: OutboxFilter
}
