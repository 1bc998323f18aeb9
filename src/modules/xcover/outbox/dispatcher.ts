import { createHash, randomUUID } from "node:crypto"
import { setTimeout as sleep } from "node:timers/promises"
import type { Logger } from "@medusajs/framework/types"
import { describeOutcome, type XcoverOutcome } from "../client/outcome"
import type {
  XcoverAnswer,
  XcoverCallSettings,
  XcoverClient,
} from "../client/xcover-client"
import type { XcoverOptions } from "../options"
import type { SqlManager } from "../sql"
import { decideRetry } from "./backoff"
import {
  DispatchState,
  PAUSE_CHECK_LEAD_MS,
  type Bucket,
} from "./dispatch-state"
import {
  NOT_SENT,
  type BudgetedCall,
  type ClaimedOperation,
  type CompletedStatus,
  type OutboxFilter,
  type OutboxKind,
} from "./kind"
import { followUpOf, logSettled, wroteEvent, type Settled } from "./settled"

export type DispatchResult = {
  /** Nothing could be sent: no credentials, disabled, or the credential circuit is open. */
  idle: boolean
  sent: number
  done: number
  retrying: number
  rejected: number
  failed: number
  /** Put back unsent or after a 401/403: due again once sending is possible. */
  deferred: number
  /**
   * One order's dispatch only: what its operations that reached an end settled (booked,
   * cancelled, failed, read back), for the caller to act on. A dispatch of every order (a
   * sweep through a backlog) keeps the counts above, not one fact per operation.
   */
  settled?: Settled[]
}

/** How far ahead a process may reserve send slots: it never holds more than it sends in this time. */
export const SLOT_HORIZON_MS = 2_000
/** Reserve beyond the request timeout before another process may take a claimed operation over. */
const LEASE_MARGIN_MS = 5_000
/** Without a rate limit: operations claimed at once per process. */
const UNLIMITED_BATCH = 50
/** Requests of one process waiting for their answer before it claims more. */
const MAX_IN_FLIGHT = 100
/** Longest shared pause after a 429; the throttled operation itself waits the full Retry-After. */
export const MAX_SHARED_PAUSE_MS = 60_000
/** XCover's clock this far from ours: signatures (which carry our time) may be refused. */
export const CLOCK_SKEW_WARN_MS = 60_000
/**
 * Longest a process waits on a wake-up timer for its next due operation (a retry's delay, the
 * end of a 429 pause); anything due later is sent by the dispatch job's run.
 */
const MAX_WAKE_MS = 60_000
/** Shortest wait on a wake-up timer, so that one still being claimed elsewhere cannot make it spin. */
const MIN_WAKE_MS = 100
/** A probe (one call a person or the circuit waits for) takes the next slot, up to this far ahead. */
const PROBE_HORIZON_MS = 3_600_000
/** A kind's second request waits this long at most for its slot (a full 429 pause, then the queue). */
const SECOND_REQUEST_WAIT_MS = MAX_SHARED_PAUSE_MS + SLOT_HORIZON_MS
/**
 * Slots are `1100 / rate` ms apart: 10 % under the limit. That slack (100 ms over any second) is
 * what sends may lose to timers, a busy event loop and the network without one more call falling
 * into a second at XCover: a send that wakes more than 40 ms after its slot gives the slot up
 * instead of going out late, and 60 ms stay for what happens after that check (4 % proved too
 * little on a busy two-core server: 11 calls reached the stand-in within 971 ms at 10/s).
 */
const PACING_WINDOW_MS = 1100
const LATE_TOLERANCE_MS = 40
/** The claim is checked this long before the slot, so the check's round trip does not make it late. */
const PRE_CHECK_MS = 15

/** What the dispatcher is built from: the database, the client funnel, the settings in effect, the events' publisher. */
export type DispatcherDeps = {
  db: SqlManager
  client: XcoverClient
  options: XcoverOptions
  logger: Logger
  /** The settings in effect (the settings store), read before each claim. */
  settings: { resolve(): Promise<{ call: XcoverCallSettings | null }> }
  /** Publishes the events an outcome wrote, now rather than at the job's next run. */
  events: { publish(): Promise<unknown> }
  kinds: OutboxKind[]
}

/** Why `callWithinBudget` did not send: the circuit is open, or no slot (a 429 pause) within the wait allowed. */
export class BudgetRefusal extends Error {
  constructor(
    readonly reason: "circuit_open" | "paused" | "busy" | "claim_lost",
    message: string,
    /** When asking again may succeed, in ms (null: not before the credentials are fixed). */
    readonly retryInMs: number | null
  ) {
    super(message)
    this.name = "BudgetRefusal"
  }
}

/**
 * Sends due outbox operations of any kind, exactly once, shared by every process on the database:
 * - flow control: a process reserves send slots of the account's budget for the next 2 s only,
 *   claims at most that many operations, and checks (and extends) each claim right before its
 *   request goes out, so a claim taken over is never sent and nothing waits unboundedly;
 * - one rate budget per account and route group (`maxOfferRequestsPerSecond` for Confirm Offer,
 *   `maxRequestsPerSecond` for the other calls), slots reserved on the database clock; a kind's
 *   second request and the admin's direct calls take slots too (`callWithinBudget`);
 * - a 429 pauses every sender for Retry-After (at most 60 s); the operation waits the full value;
 * - 401/403 open a circuit: nothing is sent but one probe on a backoff, offers wait, and
 *   retry.maxAgeMs stops counting while nothing can be sent.
 */
export class Dispatcher {
  readonly state: DispatchState
  private readonly sweeping = new Set<string>()
  /** Kinds whose running sweep was handed an order's offers while it ran. */
  private readonly nudged = new Set<string>()
  /** The running sweep of each kind, for an order's dispatch that hands its work over to wait on. */
  private readonly sweeps = new Map<string, Promise<DispatchResult | null>>()
  private reportedSkew: boolean | null = null
  private stopped = false
  /** Per kind: the timer that sweeps it when its next operation falls due, and when. */
  private readonly wakeTimers = new Map<
    string,
    { at: number; timer: NodeJS.Timeout }
  >()
  /** Answers `callWithinBudget` already passed to `afterAnswer` (a kind may return one as its own). */
  private readonly accounted = new WeakSet<XcoverAnswer>()

  private readonly db: SqlManager
  private readonly client: XcoverClient
  private readonly options: XcoverOptions
  private readonly logger: Logger
  private readonly events: DispatcherDeps["events"]
  private readonly kinds: OutboxKind[]
  /** Concurrent dispatches (a burst of orders) share one read of the settings. */
  private readonly readSettings: () => Promise<{
    call: XcoverCallSettings | null
  }>
  private readonly readState = singleFlight(() => this.state.read())

  constructor(deps: DispatcherDeps) {
    this.db = deps.db
    this.client = deps.client
    this.options = deps.options
    this.logger = deps.logger
    this.events = deps.events
    this.kinds = deps.kinds
    this.readSettings = singleFlight(() => deps.settings.resolve())
    this.state = new DispatchState(deps.db)
  }

  /** The app shuts down: dispatch loops end before their next claim. */
  get isStopped(): boolean {
    return this.stopped
  }

  stop(): void {
    this.stopped = true
    for (const { timer } of this.wakeTimers.values()) {
      clearTimeout(timer)
    }
    this.wakeTimers.clear()
  }

  /** A background sweep of one kind; one at a time per process (others sweep in parallel safely). */
  async sweep<Op extends ClaimedOperation>(
    kind: OutboxKind<Op>
  ): Promise<DispatchResult | null> {
    if (this.sweeping.has(kind.name)) {
      // The running sweep looks once more before it ends.
      this.nudged.add(kind.name)
      return null
    }
    this.sweeping.add(kind.name)
    const running = (async () => {
      try {
        let result: DispatchResult
        do {
          this.nudged.delete(kind.name)
          result = await this.dispatch(kind)
        } while (this.nudged.has(kind.name) && !this.stopped)
        return result
      } finally {
        this.sweeping.delete(kind.name)
        this.sweeps.delete(kind.name)
      }
    })()
    this.sweeps.set(kind.name, running)
    return running
  }

  /** Sends every due operation of a kind (optionally one order's) until none is due. */
  async dispatch<Op extends ClaimedOperation>(
    kind: OutboxKind<Op>,
    filter: OutboxFilter = {}
  ): Promise<DispatchResult> {
    const result: DispatchResult = {
      idle: false,
      sent: 0,
      done: 0,
      retrying: 0,
      rejected: 0,
      failed: 0,
      deferred: 0,
      ...(filter.order_id ? { settled: [] } : {}),
    }
    if (filter.order_id && this.sweeping.has(kind.name)) {
      // This process is already working through a backlog: the sweep sends this order's
      // offers in turn, without a burst of orders queueing claims in front of it (and looks
      // once more before it ends, in case it had just found nothing). The caller (a person's
      // retry, say) waits for it, so it answers with what happened.
      this.nudged.add(kind.name)
      await this.sweeps.get(kind.name)?.catch(() => null)
      return result
    }
    const inFlight = new Set<Promise<void>>()
    try {
      while (!this.stopped) {
        while (inFlight.size >= MAX_IN_FLIGHT) {
          // Back-pressure on answers too: hanging calls must not let claims pile up.
          await Promise.race(inFlight)
        }
        const { call } = await this.readSettings()
        if (!call || !(await this.gate(call))) {
          if (!call) {
            await this.state.markUnavailable()
          }
          result.idle = true
          return result
        }
        // Claim first, then reserve slots for exactly what was claimed: a dispatch never holds
        // slots it cannot use, which would leave the account's budget idle.
        const claimed = await kind.claim(this.db, {
          limit: this.batchSize(kind.bucket),
          leaseMs: SLOT_HORIZON_MS + this.options.timeoutMs + LEASE_MARGIN_MS,
          leaseToken: randomUUID(),
          maxAgeMs: this.options.retry.maxAgeMs,
          filter,
        })
        if (!claimed.length) {
          if (inFlight.size) {
            // An answer still to come may make more due at once (a cancellation's preview makes
            // its confirmation due): look again once they are in.
            await Promise.all(inFlight)
            continue
          }
          return result
        }
        const grant = await this.reserve(kind.bucket, claimed.length)
        // Slots start within the horizon only: what cannot be sent that soon goes back, unsent.
        for (const op of claimed.splice(grant.count)) {
          await kind.release(this.db, op, { outcome: null, counted: false })
        }
        if (!claimed.length) {
          // The budget is taken further ahead than the horizon (other processes, or a pause). A
          // sweep waits for it; one order's immediate dispatch hands its offers to this process's
          // sweep (started if none runs) and returns, so the budget never idles until the job.
          if (filter.order_id) {
            void this.sweep(kind).catch((err: unknown) =>
              this.logger.error(
                `xcover: ${kind.name} sweep failed: ${err instanceof Error ? err.message : String(err)}`
              )
            )
            return result
          }
          await sleep(Math.min(SLOT_HORIZON_MS, Math.max(50, grant.retryInMs)))
          continue
        }
        // Each send waits for its own slot. The next batch is claimed once half of this one has
        // gone out (not been answered): its slots then follow on without a gap, a process holds
        // at most one and a half batches unsent, and a hanging call never holds the others back.
        const wentOut = claimed.map((op, i) => {
          let markGone = () => {}
          const gone = new Promise<void>((resolve) => (markGone = resolve))
          const flow = (async () => {
            try {
              const sent = await this.sendAt(
                kind,
                op,
                grant.firstLocalMs + i * grant.spacingMs,
                call,
                result
              )
              markGone()
              await sent?.answered
            } catch (err) {
              this.skip(kind, op, err)
            } finally {
              markGone()
            }
          })()
          const tracked = flow.finally(() => inFlight.delete(tracked))
          inFlight.add(tracked)
          return gone
        })
        await Promise.all(wentOut.slice(0, Math.ceil(wentOut.length / 2)))
      }
      return result
    } finally {
      await Promise.all(inFlight)
      if (!result.idle) {
        // Work goes out when it falls due (a retry's delay, a pause's end), not at the job's next run.
        await this.scheduleWake(kind).catch((err: unknown) =>
          this.logger.warn(
            `xcover: ${kind.name}: could not look for the next due operation: ${err instanceof Error ? err.message : String(err)}`
          )
        )
      }
    }
  }

  /** Sets (or brings forward) the timer that sweeps this kind when its next operation falls due. */
  private async scheduleWake(kind: OutboxKind): Promise<void> {
    const inMs = this.stopped ? null : await kind.nextDueInMs(this.db)
    if (inMs !== null) {
      this.wakeIn(kind, inMs)
    }
  }

  private wakeIn(kind: OutboxKind, inMs: number): void {
    if (inMs > MAX_WAKE_MS || this.stopped) {
      return
    }
    const delayMs = Math.max(MIN_WAKE_MS, inMs)
    const at = Date.now() + delayMs
    const current = this.wakeTimers.get(kind.name)
    if (current && current.at <= at) {
      return
    }
    if (current) {
      clearTimeout(current.timer)
    }
    const timer = setTimeout(() => {
      this.wakeTimers.delete(kind.name)
      void this.sweep(kind).catch((err: unknown) =>
        this.logger.error(
          `xcover: ${kind.name} sweep failed: ${err instanceof Error ? err.message : String(err)}`
        )
      )
    }, delayMs)
    // A timer never keeps the process alive: the job's run sends what it would have.
    timer.unref()
    this.wakeTimers.set(kind.name, { at, timer })
  }

  /**
   * Waits for the slot, checks the claim, sends. Resolves once the request has gone out (or was
   * skipped) with a promise of its completion (wrapped: an async function would adopt it).
   */
  private async sendAt<Op extends ClaimedOperation>(
    kind: OutboxKind<Op>,
    op: Op,
    slotLocalMs: number,
    settings: XcoverCallSettings,
    result: DispatchResult
  ): Promise<{ answered: Promise<void> } | null> {
    await sleepUntil(slotLocalMs - PRE_CHECK_MS)
    const started = await kind.startSend(
      this.db,
      op,
      this.options.timeoutMs + LEASE_MARGIN_MS
    )
    if (!started) {
      // Taken over (never sent twice), or a 429 pause / open circuit since the claim.
      await kind.release(this.db, op, { outcome: null, counted: false })
      result.deferred++
      return null
    }
    await sleepUntil(slotLocalMs)
    if (
      this.rateOf(kind.bucket) > 0 &&
      Date.now() > slotLocalMs + LATE_TOLERANCE_MS
    ) {
      // A busy event loop woke us too late: sending now could put two calls into one second
      // at XCover. The slot is lost; the operation goes back, due now, its try not counted.
      await kind.release(this.db, op, { outcome: null, counted: true })
      result.deferred++
      return null
    }
    result.sent++
    const answered = (async () => {
      const another: BudgetedCall = (call) =>
        this.callWithinBudget(settings, call, {
          maxWaitMs: SECOND_REQUEST_WAIT_MS,
          // The claim must outlast the wait for the slot and the request: never sent twice.
          hold: (waitMs) =>
            kind.holdLease(
              this.db,
              op,
              waitMs + this.options.timeoutMs + LEASE_MARGIN_MS
            ),
        }).catch((err: unknown) => {
          if (!(err instanceof BudgetRefusal)) {
            throw err
          }
          const outcome: XcoverOutcome = {
            kind: "retryable",
            status: null,
            type: NOT_SENT,
            message: err.message,
            retryAfterMs: err.retryInMs,
          }
          return { outcome, body: null }
        })
      const answer = await kind.send(this.client, settings, op, another)
      const { outcome } = answer
      if (!this.accounted.has(answer)) {
        await this.afterAnswer(outcome, settings)
      }
      if (outcome.kind === "unauthorized") {
        await kind.release(this.db, op, { outcome, counted: false })
        result.deferred++
        return
      }
      const completion = await kind.complete(
        this.db,
        op,
        answer,
        this.nextTry(op, started, outcome)
      )
      if (completion === null) {
        this.logger.warn(
          `xcover: ${kind.name} of ${op.subject} (try ${started.attempt}): its claim was taken over before the outcome was written; ignored`
        )
        return
      }
      result[completion.status]++
      if (completion.status === "failed") {
        this.logger.error(
          `xcover: ${kind.name} of ${op.subject} FAILED after ${started.attempt} tries (${describeOutcome(outcome)}); retry it from the admin once XCover is reachable`
        )
      }
      if (completion.settled) {
        this.settle(completion.settled)
        result.settled?.push(completion.settled)
      }
    })()
    return { answered }
  }

  /**
   * Acts on what an operation settled: its log line, its event published now, and what it made
   * due sent soon (a booking of an order cancelled meanwhile: that cancellation).
   */
  private settle(settled: Settled): void {
    logSettled(settled, this.logger)
    if (wroteEvent(settled)) {
      void this.events.publish()
    }
    const followUp = followUpOf(settled)
    const next = followUp && this.kinds.find((k) => k.name === followUp)
    if (next) {
      this.wakeIn(next, 0)
    }
  }

  /** One operation's trouble (a database error, say) must not stop the others: log it, move on. */
  private skip(kind: OutboxKind, op: ClaimedOperation, err: unknown): void {
    const why = err instanceof Error ? err.message : String(err)
    this.logger.error(
      `xcover: ${kind.name} of ${op.subject} skipped in this run (${why}); its claim runs out and it is tried again`
    )
  }

  private nextTry(
    op: ClaimedOperation,
    started: { attempt: number; dbNowMs: number; localNowMs: number },
    outcome: XcoverOutcome
  ) {
    if (outcome.kind !== "retryable") {
      return { giveUp: false, nextAttemptAt: null }
    }
    const decision = decideRetry({
      attempt: started.attempt,
      deadline: op.deadline,
      // Now on the database clock, which every instance shares: Retry-After counts from the answer.
      now: new Date(started.dbNowMs + (Date.now() - started.localNowMs)),
      policy: this.options.retry,
      retryAfterMs: outcome.retryAfterMs,
    })
    return decision.giveUp
      ? { giveUp: true, nextAttemptAt: null }
      : { giveUp: false, nextAttemptAt: decision.nextAttemptAt }
  }

  /** What every answer tells about the account: a 429, refused credentials, the clock. */
  private async afterAnswer(
    outcome: XcoverOutcome,
    settings: XcoverCallSettings
  ): Promise<void> {
    if (outcome.status === 429) {
      await this.state.pause(
        Math.min(outcome.retryAfterMs ?? 1000, MAX_SHARED_PAUSE_MS)
      )
    }
    if (
      outcome.kind === "unauthorized" &&
      (await this.state.openCircuit(
        describeOutcome(outcome),
        fingerprint(settings)
      ))
    ) {
      this.logger.error(
        `xcover: XCover refused the credentials (${describeOutcome(outcome)}); sending stopped, declined offers wait (none is lost). Check partner code, API key, API secret, signature settings and the server clock; a probe retries in 30 s, at once when the settings are saved`
      )
    }
    await this.noteClockSkew(outcome.clockSkewMs ?? null)
  }

  /**
   * Whether sending is possible now. An open circuit lets one process send one probe when its
   * backoff has passed or the settings changed; the probe's success closes it.
   */
  private async gate(settings: XcoverCallSettings): Promise<boolean> {
    const state = await this.readState()
    if (state.circuit.open) {
      if (!(await this.state.takeProbe(fingerprint(settings)))) {
        return false
      }
      const outcome = await this.probe(settings)
      if (outcome.kind === "unauthorized") {
        await this.state.setCircuitReason(describeOutcome(outcome))
        return false
      }
      if (outcome.status === null || outcome.kind === "retryable") {
        return false
      }
      if (await this.state.closeCircuit()) {
        this.logger.info(
          "xcover: XCover accepts the credentials again; sending resumed"
        )
      }
    }
    if (state.unavailable_since || state.circuit.open) {
      const gapMs = await this.state.markAvailable()
      if (gapMs !== null) {
        for (const kind of this.kinds) {
          await kind.extendDeadlines(this.db, gapMs, this.options.retry)
        }
      }
    }
    return true
  }

  /**
   * One request outside the outbox (the admin's cancellation preview, a kind's second request)
   * within the account's budget: refused while the circuit is open; at a slot of its own bucket,
   * which starts after any 429 pause; checked again at the slot (a pause or an opening recorded
   * meanwhile); its answer then counts like an outbox call's (429 → shared pause, 401/403 →
   * circuit, clock skew). Throws `BudgetRefusal` when it cannot go out within `maxWaitMs`.
   * `hold` is told how long the wait for the slot is, before it starts; false gives up.
   */
  async callWithinBudget(
    settings: XcoverCallSettings,
    call: (client: XcoverClient) => Promise<XcoverAnswer>,
    {
      bucket = "default",
      maxWaitMs,
      hold,
    }: {
      bucket?: Bucket
      maxWaitMs: number
      hold?: (waitMs: number) => Promise<boolean>
    }
  ): Promise<XcoverAnswer> {
    const giveUpAt = Date.now() + maxWaitMs
    for (;;) {
      const { circuitOpen, pausedForMs } = await this.state.sendingAllowed()
      if (circuitOpen) {
        throw new BudgetRefusal(
          "circuit_open",
          "XCover refused the credentials: nothing is sent until they are fixed (see the XCover settings page)",
          null
        )
      }
      const leftMs = giveUpAt - Date.now()
      if (pausedForMs > leftMs) {
        throw new BudgetRefusal(
          "paused",
          `XCover asked to slow down (429): sending is paused for ${Math.ceil(pausedForMs / 1000)} s more`,
          pausedForMs
        )
      }
      const grant = await this.reserve(bucket, 1, Math.max(0, leftMs))
      if (!grant.count) {
        throw new BudgetRefusal(
          "busy",
          "the XCover account's rate budget is taken for now",
          grant.retryInMs + SLOT_HORIZON_MS
        )
      }
      // Without a rate limit the slot is now: the pause is waited out here instead.
      const slotLocalMs = Math.max(grant.firstLocalMs, Date.now() + pausedForMs)
      if (hold && !(await hold(Math.max(0, slotLocalMs - Date.now())))) {
        throw new BudgetRefusal(
          "claim_lost",
          "the operation was taken over by another process",
          null
        )
      }
      await sleepUntil(slotLocalMs)
      const now = await this.state.sendingAllowed()
      const late =
        this.rateOf(bucket) > 0 && Date.now() > slotLocalMs + LATE_TOLERANCE_MS
      // The same lead as the outbox's check: a pause ending within it does not stop the send.
      if (!now.circuitOpen && now.pausedForMs <= PAUSE_CHECK_LEAD_MS && !late) {
        const answer = await call(this.client)
        await this.afterAnswer(answer.outcome, settings)
        this.accounted.add(answer)
        return answer
      }
      // A pause or an opening recorded while we waited (or a slot missed): ask again.
    }
  }

  /** A signed call that proves the credentials (the connection test's), at a slot of the budget. */
  async probe(settings: XcoverCallSettings): Promise<XcoverOutcome> {
    const grant = await this.reserve("default", 1, PROBE_HORIZON_MS)
    await sleepUntil(grant.firstLocalMs)
    const outcome = await this.client.probe(settings)
    await this.noteClockSkew(outcome.clockSkewMs ?? null)
    if (outcome.status === 429) {
      await this.state.pause(
        Math.min(outcome.retryAfterMs ?? 1000, MAX_SHARED_PAUSE_MS)
      )
    }
    return outcome
  }

  /** Calls per second XCover allows on a bucket's routes (0: no limit). */
  private rateOf(bucket: Bucket): number {
    return bucket === "offer"
      ? this.options.maxOfferRequestsPerSecond
      : this.options.maxRequestsPerSecond
  }

  private batchSize(bucket: Bucket): number {
    const rate = this.rateOf(bucket)
    return rate > 0
      ? Math.max(1, Math.ceil((rate * SLOT_HORIZON_MS) / 1000))
      : UNLIMITED_BATCH
  }

  private async reserve(
    bucket: Bucket,
    want: number,
    horizonMs = SLOT_HORIZON_MS
  ) {
    const rate = this.rateOf(bucket)
    if (rate <= 0) {
      return {
        count: want,
        firstLocalMs: Date.now(),
        spacingMs: 0,
        retryInMs: 0,
      }
    }
    return this.state.reserveSlots(
      bucket,
      want,
      PACING_WINDOW_MS / rate,
      horizonMs
    )
  }

  /** Records the skew once per change (not per call) and warns when it passes a minute. */
  private async noteClockSkew(skewMs: number | null): Promise<void> {
    if (skewMs === null) {
      return
    }
    const skewed = Math.abs(skewMs) > CLOCK_SKEW_WARN_MS
    if (skewed === this.reportedSkew) {
      return
    }
    this.reportedSkew = skewed
    await this.state.setClockSkew(skewed ? skewMs : null)
    if (skewed) {
      this.logger.warn(
        `xcover: this server's clock is ${Math.round(Math.abs(skewMs) / 1000)} s ${skewMs > 0 ? "behind" : "ahead of"} XCover's; signatures carry the local time and may be refused. Synchronise the clock (NTP)`
      )
    }
  }
}

/** Callers that ask while a call is running share its answer; the next ask makes a new call. */
function singleFlight<T>(call: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null
  return () => (running ??= call().finally(() => (running = null)))
}

async function sleepUntil(localMs: number): Promise<void> {
  const wait = localMs - Date.now()
  if (wait > 0) {
    await sleep(wait)
  }
}

/** Identifies the settings a circuit was opened with, without holding the secret. */
export function fingerprint(settings: XcoverCallSettings): string {
  const secret = createHash("sha256").update(settings.apiSecret).digest("hex")
  return createHash("sha256")
    .update(
      JSON.stringify([
        settings.baseUrl,
        settings.partnerCode,
        settings.apiKey,
        secret,
        settings.signatureAlgorithm,
        settings.signedHeaders,
      ])
    )
    .digest("hex")
    .slice(0, 32)
}

export type { CompletedStatus }
