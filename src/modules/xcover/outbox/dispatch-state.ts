import type { SqlExecutor } from "../sql"
import { DispatchStateEntity, findRows } from "../orm"

/**
 * The account-wide state every sender shares, in the one `xcover_dispatch_state` row: the rate
 * budget, the 429 pause, the credential circuit, the time nothing could be sent and the clock
 * skew. Every change is one statement on the database clock, so N processes act as one sender.
 */
const SCOPE = "default"
const ROW = `xcover_dispatch_state WHERE scope = '${SCOPE}' AND deleted_at IS NULL`
const MS = "* interval '1 millisecond'"
const EPOCH_MS = (expr: string) =>
  `(extract(epoch FROM ${expr}) * 1000)::float8`

/**
 * SQL condition that holds while sending is allowed: no 429 pause running and the circuit closed.
 * Each kind's check right before a request goes out includes it, so a pause or an opening that
 * another process recorded a moment ago stops sends already waiting for their slot. The check
 * runs just before the slot, and slots never start before the pause ends: a pause ending within
 * that lead does not stop the send.
 */
export const PAUSE_CHECK_LEAD_MS = 20
export const SENDING_ALLOWED_SQL = `NOT EXISTS (SELECT 1 FROM ${ROW} AND (paused_until > clock_timestamp() + interval '${PAUSE_CHECK_LEAD_MS} milliseconds' OR circuit_opened_at IS NOT NULL))`

/** Until when a paused send waits, on the database clock (now when no pause is running). */
export const RESUME_AT_SQL = `GREATEST(now(), COALESCE((SELECT paused_until FROM ${ROW}), now()))`

/**
 * XCover's limits are per route: Confirm Offer has a larger one (50/s) than the other calls
 * (20/s). Each bucket is its own column of slots; the 429 pause and the circuit stay account-wide.
 */
export type Bucket = "default" | "offer"
const SLOT_COLUMN: Record<Bucket, string> = {
  default: "next_slot_at",
  offer: "next_offer_slot_at",
}

/** Send slots granted to one process: `count` slots, `spacingMs` apart, the first at `firstLocalMs`. */
export type SlotGrant = {
  count: number
  /** First slot, on this process's clock. */
  firstLocalMs: number
  spacingMs: number
}

export type CircuitView = {
  open: boolean
  opened_at: Date | null
  next_probe_at: Date | null
  probes: number
  reason: string | null
}

export type DispatchStateRow = {
  circuit: CircuitView
  circuit_settings: string | null
  unavailable_since: Date | null
  paused_until: Date | null
  clock_skew_ms: number | null
  clock_skew_at: Date | null
}

/** First probe 30 s after the circuit opens, then doubling to 15 min. */
export const PROBE_BASE_MS = 30_000
export const PROBE_MAX_MS = 15 * 60_000

const date = (v: unknown) => (v ? new Date(v as string | Date) : null)

/**
 * This process's view of the database clock. Slots are database times; each is turned into a
 * local time with the offset seen in the query with the shortest round trip (refreshed every
 * 30 s), not the one of each reservation: a reply read late by a busy event loop would shift a
 * whole batch's slots and put two sends of neighbouring batches into one second.
 */
class DbClockOffset {
  private best: { rttMs: number; offsetMs: number; at: number } | null = null

  sample(beforeLocalMs: number, afterLocalMs: number, dbNowMs: number): number {
    const rttMs = afterLocalMs - beforeLocalMs
    if (
      !this.best ||
      rttMs <= this.best.rttMs ||
      afterLocalMs - this.best.at > 30_000
    ) {
      this.best = {
        rttMs,
        offsetMs: (beforeLocalMs + afterLocalMs) / 2 - dbNowMs,
        at: afterLocalMs,
      }
    }
    return this.best.offsetMs
  }
}

export class DispatchState {
  private ensured = false
  private readonly clock = new DbClockOffset()

  constructor(private readonly db: SqlExecutor) {}

  /** The row comes with the migration; this covers a row deleted by hand. Once per process. */
  private async ensure(): Promise<void> {
    if (!this.ensured) {
      // Raw SQL: INSERT … ON CONFLICT (scope) DO NOTHING: processes starting together create the one row once.
      await this.db.execute(
        `INSERT INTO xcover_dispatch_state (id, scope) VALUES ('xcds_default', ?) ON CONFLICT (scope) WHERE deleted_at IS NULL DO NOTHING`,
        [SCOPE]
      )
      this.ensured = true
    }
  }

  async read(): Promise<DispatchStateRow> {
    await this.ensure()
    const [r] = await findRows(this.db, DispatchStateEntity, { scope: SCOPE }, [
      "circuit_opened_at",
      "circuit_probe_at",
      "circuit_probes",
      "circuit_reason",
      "circuit_settings",
      "unavailable_since",
      "paused_until",
      "clock_skew_ms",
      "clock_skew_at",
    ])
    return {
      circuit: {
        open: Boolean(r?.circuit_opened_at),
        opened_at: date(r?.circuit_opened_at),
        next_probe_at: date(r?.circuit_probe_at),
        probes: Number(r?.circuit_probes ?? 0),
        reason: (r?.circuit_reason as string | null) ?? null,
      },
      circuit_settings: (r?.circuit_settings as string | null) ?? null,
      unavailable_since: date(r?.unavailable_since),
      paused_until: date(r?.paused_until),
      clock_skew_ms:
        r?.clock_skew_ms === null || r?.clock_skew_ms === undefined
          ? null
          : Number(r.clock_skew_ms),
      clock_skew_at: date(r?.clock_skew_at),
    }
  }

  /**
   * Reserves up to `want` send slots `spacingMs` apart, but only slots that start within
   * `horizonMs` from now (and after any 429 pause): a process never holds more than it can send
   * soon. Zero slots means the budget is taken that far ahead; `retryInMs` says when to ask again.
   */
  async reserveSlots(
    bucket: Bucket,
    want: number,
    spacingMs: number,
    horizonMs: number
  ): Promise<SlotGrant & { retryInMs: number }> {
    await this.ensure()
    const column = SLOT_COLUMN[bucket]
    const before = Date.now()
    // Raw SQL: the row locked (FOR UPDATE) and the slots taken in one UPDATE … RETURNING on the database clock
    // (clock_timestamp()), so N processes share one budget and never get the same slot.
    const [r] = await this.db.execute(
      `WITH c AS (SELECT clock_timestamp() AS now),
       cur AS (
         SELECT c.now, GREATEST(COALESCE(s.${column}, '-infinity'), COALESCE(s.paused_until, '-infinity'), c.now) AS start
         FROM xcover_dispatch_state s, c WHERE s.scope = ? AND s.deleted_at IS NULL FOR UPDATE OF s),
       g AS (
         SELECT now, start,
           CASE WHEN start > now + (? ${MS}) THEN 0
                ELSE LEAST(?::int, floor(${EPOCH_MS("(now + (? " + MS + ") - start)")} / ?)::int + 1) END AS k
         FROM cur)
       UPDATE xcover_dispatch_state AS d SET ${column} = g.start + (g.k * ? ${MS})
       FROM g WHERE d.scope = ? AND d.deleted_at IS NULL
       RETURNING g.k AS count, ${EPOCH_MS("g.start")} AS start_ms, ${EPOCH_MS("g.now")} AS now_ms`,
      [SCOPE, horizonMs, want, horizonMs, spacingMs, spacingMs, SCOPE]
    )
    const localNow = Date.now()
    const offset = this.clock.sample(before, localNow, Number(r.now_ms))
    const startLocal = Number(r.start_ms) + offset
    return {
      count: Number(r.count),
      firstLocalMs: startLocal,
      spacingMs,
      retryInMs: Math.max(0, startLocal - horizonMs - localNow),
    }
  }

  /** After a 429: every sender of the account holds back for `ms`. */
  async pause(ms: number): Promise<void> {
    // Raw SQL: one UPDATE on the database clock (clock_timestamp()); GREATEST keeps the later end, so concurrent
    // 429s never shorten each other's pause (the ORM would read, then write).
    await this.db.execute(
      `UPDATE xcover_dispatch_state SET paused_until = GREATEST(COALESCE(paused_until, '-infinity'), clock_timestamp() + (? ${MS})), updated_at = now() WHERE scope = ?`,
      [ms, SCOPE]
    )
  }

  /** Opens the circuit; true only for the call that opened it (one error line per opening). */
  async openCircuit(
    reason: string,
    settingsFingerprint: string
  ): Promise<boolean> {
    // Raw SQL: one conditional UPDATE … RETURNING (WHERE circuit_opened_at IS NULL), so one process opens it;
    // its times on the database clock (clock_timestamp()).
    const rows = await this.db.execute(
      `UPDATE xcover_dispatch_state
       SET circuit_opened_at = clock_timestamp(), circuit_probe_at = clock_timestamp() + (? ${MS}), circuit_probes = 0,
           circuit_reason = ?, circuit_settings = ?, unavailable_since = COALESCE(unavailable_since, clock_timestamp()), updated_at = now()
       WHERE scope = ? AND circuit_opened_at IS NULL RETURNING id`,
      [PROBE_BASE_MS, reason, settingsFingerprint, SCOPE]
    )
    return rows.length > 0
  }

  /**
   * Takes the right to send the one probe of an open circuit: when its backoff has passed, or at
   * once when the settings changed since the circuit opened. One process wins; the next probe is
   * scheduled in the same statement (30 s doubling to 15 min).
   */
  async takeProbe(settingsFingerprint: string): Promise<boolean> {
    // Raw SQL: one conditional UPDATE … RETURNING on the database clock: one process takes the probe and
    // schedules the next (the ORM would read, then write).
    const rows = await this.db.execute(
      `UPDATE xcover_dispatch_state
       SET circuit_probes = circuit_probes + 1, circuit_settings = ?,
           circuit_probe_at = clock_timestamp() + (LEAST(?::float8 * power(2, circuit_probes + 1), ?::float8) ${MS}), updated_at = now()
       WHERE scope = ? AND circuit_opened_at IS NOT NULL
         AND (circuit_probe_at <= clock_timestamp() OR circuit_settings IS DISTINCT FROM ?)
       RETURNING id`,
      [
        settingsFingerprint,
        PROBE_BASE_MS,
        PROBE_MAX_MS,
        SCOPE,
        settingsFingerprint,
      ]
    )
    return rows.length > 0
  }

  /**
   * Whether a call may go out now: not while the circuit is open (the probe aside), nor while a
   * 429 pause runs (`paused_until`, on the database clock, for the caller to wait out).
   */
  async sendingAllowed(): Promise<{
    circuitOpen: boolean
    pausedForMs: number
  }> {
    await this.ensure()
    // Raw SQL: the pause left is measured on the database clock (clock_timestamp()), the clock paused_until is on.
    const [r] = await this.db.execute(
      `WITH c AS (SELECT clock_timestamp() AS now)
       SELECT circuit_opened_at IS NOT NULL AS circuit_open, ${EPOCH_MS("(GREATEST(COALESCE(paused_until, c.now), c.now) - c.now)")} AS paused_ms
       FROM c, ${ROW}`
    )
    return {
      circuitOpen: Boolean(r?.circuit_open),
      pausedForMs: r ? Number(r.paused_ms) : 0,
    }
  }

  async setCircuitReason(reason: string): Promise<void> {
    // Raw SQL: one conditional UPDATE (only while the circuit is open), so a reason never lands on a circuit
    // another process has just closed (the ORM would read, then write).
    await this.db.execute(
      `UPDATE xcover_dispatch_state SET circuit_reason = ? WHERE scope = ? AND circuit_opened_at IS NOT NULL`,
      [reason, SCOPE]
    )
  }

  /** A probe at once on the next dispatch (settings were saved). */
  async probeSoon(): Promise<void> {
    // Raw SQL: the probe time on the database clock (now()), set only while the circuit is open, in one statement.
    await this.db.execute(
      `UPDATE xcover_dispatch_state SET circuit_probe_at = now() WHERE scope = ? AND circuit_opened_at IS NOT NULL`,
      [SCOPE]
    )
  }

  /** Closes the circuit; true only for the call that closed it. */
  async closeCircuit(): Promise<boolean> {
    // Raw SQL: one conditional UPDATE … RETURNING, so only the process that closed the circuit gets true.
    const rows = await this.db.execute(
      `UPDATE xcover_dispatch_state SET circuit_opened_at = NULL, circuit_probe_at = NULL, circuit_probes = 0, circuit_reason = NULL, updated_at = now()
       WHERE scope = ? AND circuit_opened_at IS NOT NULL RETURNING id`,
      [SCOPE]
    )
    return rows.length > 0
  }

  /** Nothing can be sent (no credentials, disabled, circuit open): the retry clock stops. */
  async markUnavailable(): Promise<void> {
    await this.ensure()
    // Raw SQL: one conditional UPDATE on the database clock (clock_timestamp()): the first process to notice
    // sets the time, later ones leave it.
    await this.db.execute(
      `UPDATE xcover_dispatch_state SET unavailable_since = clock_timestamp() WHERE scope = ? AND unavailable_since IS NULL`,
      [SCOPE]
    )
  }

  /** Sending works again: how long it did not (ms), for the one process that noticed; else null. */
  async markAvailable(): Promise<number | null> {
    // Raw SQL: the row locked (FOR UPDATE) and cleared in one UPDATE … RETURNING, the gap on the database clock
    // (clock_timestamp()): one process gets the gap.
    const [r] = await this.db.execute(
      `WITH old AS (SELECT unavailable_since AS since FROM xcover_dispatch_state WHERE scope = ? AND unavailable_since IS NOT NULL FOR UPDATE)
       UPDATE xcover_dispatch_state AS d SET unavailable_since = NULL FROM old WHERE d.scope = ?
       RETURNING ${EPOCH_MS("(clock_timestamp() - old.since)")} AS gap_ms`,
      [SCOPE, SCOPE]
    )
    return r ? Number(r.gap_ms) : null
  }

  async setClockSkew(skewMs: number | null): Promise<void> {
    // Raw SQL: clock_skew_at on the database clock (clock_timestamp()), like every time in this row.
    await this.db.execute(
      `UPDATE xcover_dispatch_state SET clock_skew_ms = ?, clock_skew_at = ${skewMs === null ? "NULL" : "clock_timestamp()"} WHERE scope = ?`,
      [skewMs === null ? null : Math.round(skewMs), SCOPE]
    )
  }
}
