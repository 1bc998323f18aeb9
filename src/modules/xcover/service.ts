import type { Logger } from "@medusajs/framework/types"
import { MedusaError, MedusaService, generateEntityId } from "@medusajs/framework/utils"
import { XcoverClient, type XcoverCallLog, type XcoverCallSettings } from "./client/xcover-client"
import { describeOutcome, type XcoverOutcome } from "./client/outcome"
import { decideRetry } from "./delivery/backoff"
import { XCOVER_OPTIONS_KEY } from "./loaders/validate-options"
import XcoverOffer, { type OfferSource, type OfferStatus } from "./models/xcover-offer"
import { MAX_OFFERS_PER_CART } from "./offer-id"
import type { XcoverOptions } from "./options"
import { lockCartOffers, type SqlManager } from "./sql"
import { listOfferLog, offerStats, requeueOffer, type OfferLogEntry, type OfferLogFilters, type OfferStats } from "./reporting/offer-log"
import { describeProbe, NOT_CONFIGURED_RESULT, type ConnectionTestResult } from "./settings/connection-test"
import type { SettingsView, StoredSettings } from "./settings/resolve-settings"
import { XcoverSettingsStore, type SaveSettingsInput } from "./settings/settings-store"


type InjectedDependencies = {
  logger: Logger
  manager: SqlManager
  [XCOVER_OPTIONS_KEY]: XcoverOptions
}

/** A recorded offer as the store API shows it. */
export type RecordedOffer = {
  offer_id: string
  cart_id: string
  status: OfferStatus
  source: OfferSource
  created_at: Date
}

export type OrderOffersInput = {
  order_id: string
  cart_id: string
  /** Offer ids from `cart.metadata.xcover_offer_ids`, already validated. */
  metadata_offer_ids: string[]
  /** Offer ids referenced by a line item's `metadata.xcover_offer_id`: bought, never opted out. */
  selected_offer_ids: string[]
}

export type OrderOffersResult = {
  declined: string[]
  selected: string[]
  /** Offer ids skipped because another cart recorded them first. */
  foreign: string[]
}

export type DispatchResult = {
  idle: boolean
  sent: number
  opted_out: number
  retrying: number
  rejected: number
  failed: number
}

type ClaimedOffer = {
  id: string
  offer_id: string
  attempts: number
  idempotency_key: string
  declined_at: Date
  /** Database time of the claim, and this process's clock then: retries are timed on the
   * database clock, which every instance shares. */
  db_now: Date
  claimed_at_local: number
}

/** Reserve beyond the request timeout before another process may take a claimed offer over. */
const MIN_LEASE_MARGIN_MS = 5_000

/**
 * The `xcover` module: the ledger of offers (also the outbox of opt-outs) and the only way out to
 * XCover. State changes that several processes may race on are single SQL statements with
 * conditions, so they stay atomic across server instances.
 */
export default class XcoverModuleService extends MedusaService({ XcoverOffer }) {
  protected readonly logger_: Logger
  protected readonly manager_: SqlManager
  protected readonly options_: XcoverOptions
  protected readonly client_: XcoverClient
  private dispatching_ = false

  /** Medusa's module lifecycle: on shutdown, close the keep-alive pools so no socket holds the process open. */
  readonly __hooks = {
    onApplicationShutdown: async (): Promise<void> => {
      await this.client_.close()
    },
  }

  constructor(deps: InjectedDependencies) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.logger_ = deps.logger
    this.manager_ = deps.manager
    this.options_ = deps[XCOVER_OPTIONS_KEY]
    this.client_ = new XcoverClient(
      { timeoutMs: this.options_.timeoutMs, maxRequestsPerSecond: this.options_.maxRequestsPerSecond },
      (log) => this.logCall(log)
    )
  }

  /**
   * Settings for the next call: values saved in the admin over plugin options, read per call so a
   * change needs no restart. Null while credentials are missing or XCover is disabled in the
   * admin: the plugin is idle and declined offers stay pending.
   */
  async getCallSettings(): Promise<XcoverCallSettings | null> {
    return (await this.settingsStore().resolve()).call
  }

  /** One signed opt-out call. The idempotency key must be the same on every try for an offer. */
  async optOut(offerId: string, idempotencyKey: string): Promise<XcoverOutcome> {
    const settings = await this.getCallSettings()
    if (!settings) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "XCover credentials are not configured")
    }
    return this.client_.optOut({ settings, offerId, idempotencyKey })
  }

  /**
   * Records that an offer was shown for a cart (idempotent per offer id). Serialised per cart
   * with an advisory lock so that the per-cart limit holds under concurrent requests.
   */
  async recordShownOffer(input: { cart_id: string; offer_id: string }): Promise<{ offer: RecordedOffer; created: boolean }> {
    return this.manager_.transactional(async (em) => {
      await lockCartOffers(em, input.cart_id)
      const [existing] = await em.execute(
        "SELECT offer_id, cart_id, status, source, created_at FROM xcover_offer WHERE offer_id = ? AND deleted_at IS NULL",
        [input.offer_id]
      )
      if (existing) {
        if (existing.cart_id !== input.cart_id) {
          throw new MedusaError(MedusaError.Types.CONFLICT, "offer_id is already recorded for another cart")
        }
        return { offer: existing as RecordedOffer, created: false }
      }
      const [{ count }] = await em.execute(
        "SELECT count(*)::int AS count FROM xcover_offer WHERE cart_id = ? AND deleted_at IS NULL",
        [input.cart_id]
      )
      if (Number(count) >= MAX_OFFERS_PER_CART) {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `A cart can record at most ${MAX_OFFERS_PER_CART} XCover offers`
        )
      }
      const created = await insertShownOffer(em, { ...input, source: "store_route" })
      if (!created) {
        // Another cart recorded the same id in the meantime.
        throw new MedusaError(MedusaError.Types.CONFLICT, "offer_id is already recorded for another cart")
      }
      return { offer: created, created: true }
    })
  }

  /**
   * Records offers a storefront put in `cart.metadata.xcover_offer_ids` while the cart is still
   * open, so that they are in the ledger before checkout, like offers of the store route (and
   * so recoverable if `order.placed` is lost). Ids another cart recorded are left alone.
   */
  async recordMetadataOffers(cartId: string, offerIds: string[]): Promise<string[]> {
    const added: string[] = []
    for (const offerId of offerIds) {
      if (await insertShownOffer(this.manager_, { offer_id: offerId, cart_id: cartId, source: "cart_metadata" })) {
        added.push(offerId)
      }
    }
    return added
  }

  async listCartOffers(cartId: string): Promise<RecordedOffer[]> {
    const rows = await this.manager_.execute(
      "SELECT offer_id, cart_id, status, source, created_at FROM xcover_offer WHERE cart_id = ? AND deleted_at IS NULL ORDER BY created_at, offer_id",
      [cartId]
    )
    return rows as RecordedOffer[]
  }

  /**
   * The order-placement decision, made once per offer: offers a line item references become
   * `selected`, every other offer of the cart becomes `pending` (the outbox). Only `shown` rows
   * move, and metadata-only offers are inserted with `ON CONFLICT DO NOTHING`, so a repeated
   * `order.placed` changes nothing and a selected offer can never turn into a declined one.
   */
  async recordOrderOffers(input: OrderOffersInput): Promise<OrderOffersResult> {
    const selected = new Set(input.selected_offer_ids)
    return this.manager_.transactional(async (em) => {
      await lockCartOffers(em, input.cart_id)
      // Offers only given through metadata (or only through a line item) join the ledger first.
      const fromMetadata = new Set(input.metadata_offer_ids)
      const extra = [...new Set([...input.metadata_offer_ids, ...input.selected_offer_ids])]
      for (const offerId of extra) {
        const source = fromMetadata.has(offerId) ? "cart_metadata" : "line_item"
        await insertShownOffer(em, { offer_id: offerId, cart_id: input.cart_id, source })
      }
      const foreignRows = extra.length
        ? await em.execute(
            `SELECT offer_id FROM xcover_offer WHERE offer_id IN (${extra.map(() => "?").join(",")}) AND cart_id <> ? AND deleted_at IS NULL`,
            [...extra, input.cart_id]
          )
        : []
      const selectedIds = [...selected]
      const selectedRows = await em.execute(
        `UPDATE xcover_offer SET status = 'selected', order_id = ?, completed_at = now(), updated_at = now()
         WHERE cart_id = ? AND status = 'shown' AND deleted_at IS NULL
           AND offer_id IN (${selectedIds.length ? selectedIds.map(() => "?").join(",") : "NULL"})
         RETURNING offer_id`,
        [input.order_id, input.cart_id, ...selectedIds]
      )
      const declinedRows = await em.execute(
        `UPDATE xcover_offer SET status = 'pending', order_id = ?, declined_at = now(), next_attempt_at = now(), updated_at = now()
         WHERE cart_id = ? AND status = 'shown' AND deleted_at IS NULL
         RETURNING offer_id`,
        [input.order_id, input.cart_id]
      )
      return {
        declined: declinedRows.map((r) => String(r.offer_id)),
        selected: selectedRows.map((r) => String(r.offer_id)),
        foreign: foreignRows.map((r) => String(r.offer_id)),
      }
    })
  }

  /**
   * Carts whose offers are still `shown` some minutes after recording. If such a cart has been
   * completed, its `order.placed` never got processed (the local event bus loses events when the
   * process dies; no bus retries a failed subscriber by default) and the order must be looked at
   * again. Each row is re-checked on a growing interval (2 min, then half its age) for 7 days, so
   * abandoned carts cost a handful of checks each.
   */
  async claimShownCartsToCheck(limit = 100): Promise<string[]> {
    const rows = await this.manager_.execute(
      `UPDATE xcover_offer AS o
       SET next_attempt_at = now() + GREATEST(interval '2 minutes', (now() - o.created_at) / 2)
       WHERE o.id IN (
         SELECT id FROM xcover_offer
         WHERE deleted_at IS NULL AND status = 'shown'
           AND created_at <= now() - interval '2 minutes' AND created_at > now() - interval '7 days'
           AND (next_attempt_at IS NULL OR next_attempt_at <= now())
         ORDER BY next_attempt_at NULLS FIRST
         LIMIT ?
         FOR UPDATE SKIP LOCKED)
       RETURNING o.cart_id`,
      [limit]
    )
    return [...new Set(rows.map((r) => String(r.cart_id)))]
  }

  /**
   * Sends every due opt-out (optionally only one order's), in batches, until none is due.
   * Safe to run in several processes at once: each offer is claimed atomically before sending.
   */
  async dispatchDueOptOuts(filter: { order_id?: string } = {}): Promise<DispatchResult> {
    const result: DispatchResult = { idle: false, sent: 0, opted_out: 0, retrying: 0, rejected: 0, failed: 0 }
    const settings = await this.getCallSettings()
    if (!settings) {
      return { ...result, idle: true }
    }
    const batchSize = this.options_.maxRequestsPerSecond > 0 ? Math.max(1, Math.ceil(this.options_.maxRequestsPerSecond)) : 50
    for (;;) {
      const claimed = await this.claimDueOffers(batchSize, filter.order_id)
      if (!claimed.length) {
        return result
      }
      await Promise.all(
        claimed.map(async (offer) => {
          const outcome = await this.client_.optOut({ settings, offerId: offer.offer_id, idempotencyKey: offer.idempotency_key })
          const status = await this.completeAttempt(offer, outcome)
          result.sent++
          if (status) {
            result[status]++
          }
        })
      )
    }
  }

  /**
   * Background sweep for the scheduled job. One sweep at a time per process; other processes
   * sweep in parallel safely.
   */
  async dispatchAllDue(): Promise<DispatchResult | null> {
    if (this.dispatching_) {
      return null
    }
    this.dispatching_ = true
    try {
      return await this.dispatchDueOptOuts()
    } finally {
      this.dispatching_ = false
    }
  }

  /**
   * Takes up to `limit` due offers for this process: pending/retrying ones whose time has come
   * and sending ones whose lease ran out (their sender died). `FOR UPDATE SKIP LOCKED` makes the
   * claim atomic: two processes never hold the same offer.
   */
  protected async claimDueOffers(limit: number, orderId?: string): Promise<ClaimedOffer[]> {
    // The lease covers the wait for a rate-limit slot, the request and writing its outcome.
    const windowMs = this.options_.maxRequestsPerSecond > 0 ? (limit / this.options_.maxRequestsPerSecond) * 1050 : 0
    const { timeoutMs } = this.options_
    const leaseMs = Math.ceil(windowMs + timeoutMs + Math.max(timeoutMs, MIN_LEASE_MARGIN_MS))
    const rows = await this.manager_.execute(
      `UPDATE xcover_offer AS o
       SET status = 'sending', attempts = o.attempts + 1, last_attempt_at = now(),
           lease_until = now() + (? * interval '1 millisecond'), updated_at = now()
       WHERE o.id IN (
         SELECT id FROM xcover_offer
         WHERE deleted_at IS NULL
           AND ((status IN ('pending', 'retrying') AND next_attempt_at <= now())
             OR (status = 'sending' AND lease_until < now()))
           ${orderId ? "AND order_id = ?" : ""}
         ORDER BY next_attempt_at NULLS FIRST
         LIMIT ?
         FOR UPDATE SKIP LOCKED)
       RETURNING o.id, o.offer_id, o.attempts, o.idempotency_key, o.declined_at, now() AS db_now`,
      orderId ? [leaseMs, orderId, limit] : [leaseMs, limit]
    )
    return rows.map((r) => ({
      id: String(r.id),
      offer_id: String(r.offer_id),
      attempts: Number(r.attempts),
      idempotency_key: String(r.idempotency_key),
      declined_at: new Date(r.declined_at as string | Date),
      db_now: new Date(r.db_now as string | Date),
      claimed_at_local: Date.now(),
    }))
  }

  /**
   * Writes the outcome of one try. Conditional on the claim (status and attempt number), so a
   * sender whose lease expired cannot overwrite what a newer sender recorded.
   */
  protected async completeAttempt(
    offer: ClaimedOffer,
    outcome: XcoverOutcome
  ): Promise<"opted_out" | "retrying" | "rejected" | "failed" | null> {
    const error = outcome.kind === "opted_out" ? null : describeOutcome(outcome)
    let status: "opted_out" | "retrying" | "rejected" | "failed"
    let nextAttemptAt: Date | null = null
    if (outcome.kind === "opted_out") {
      status = "opted_out"
    } else if (outcome.kind === "rejected") {
      status = "rejected"
    } else {
      const decision = decideRetry({
        attempt: offer.attempts,
        declinedAt: offer.declined_at,
        // Now, on the database clock: Retry-After counts from the answer, not from the claim.
        now: new Date(offer.db_now.getTime() + (Date.now() - offer.claimed_at_local)),
        policy: this.options_.retry,
        retryAfterMs: outcome.retryAfterMs,
      })
      status = decision.giveUp ? "failed" : "retrying"
      nextAttemptAt = decision.giveUp ? null : decision.nextAttemptAt
    }
    const final = status !== "retrying"
    const updated = await this.manager_.execute(
      `UPDATE xcover_offer
       SET status = ?, last_status = ?, last_error = ?, next_attempt_at = ?, lease_until = NULL,
           completed_at = ${final ? "now()" : "NULL"}, updated_at = now()
       WHERE id = ? AND status = 'sending' AND attempts = ?
       RETURNING id`,
      [status, outcome.status, error, nextAttemptAt, offer.id, offer.attempts]
    )
    if (!updated.length) {
      this.logger_.warn(`xcover: outcome of offer ${offer.offer_id} (try ${offer.attempts}) arrived after its lease was taken over; ignored`)
      return null
    }
    if (status === "failed") {
      this.logger_.error(
        `xcover: opt-out of offer ${offer.offer_id} FAILED after ${offer.attempts} tries over ${Math.round(this.options_.retry.maxAgeMs / 1000)} s (${error}); retry it from the admin once XCover is reachable`
      )
    } else if (status === "rejected" && outcome.status === 403) {
      this.logger_.error(
        `xcover: XCover refused the credentials for offer ${offer.offer_id} (${error}); check partner code, API key, API secret and signature settings`
      )
    }
    return status
  }

  private logCall(log: XcoverCallLog): void {
    const line = `xcover: ${log.method} ${log.path} -> ${describeOutcome(log.outcome)} [${log.outcome.kind}] in ${log.durationMs} ms`
    if (log.outcome.kind === "opted_out") {
      this.logger_.info(line)
    } else {
      this.logger_.warn(line)
    }
  }

  // ---- Admin (settings, connection test, opt-out log, figures, manual retry) ----

  private settingsStore_?: XcoverSettingsStore

  protected settingsStore(): XcoverSettingsStore {
    return (this.settingsStore_ ??= new XcoverSettingsStore(this.manager_, this.options_, this.logger_))
  }

  /** The settings in effect and where each value comes from; never the API secret. */
  async getAdminSettings(): Promise<SettingsView> {
    return (await this.settingsStore().resolve()).view
  }

  /** Encrypts an API secret typed in the admin; INVALID_DATA without an `encryptionKey`. */
  sealApiSecret(secret: string): string {
    return this.settingsStore().seal(secret)
  }

  /** Saves admin overrides; returns the previous row for compensation. */
  async saveAdminSettings(input: SaveSettingsInput): Promise<{ previous: StoredSettings | null }> {
    return this.settingsStore().save(input)
  }

  async restoreAdminSettings(previous: StoredSettings | null): Promise<void> {
    await this.settingsStore().restore(previous)
  }

  /** Probes XCover with the settings in effect (even while disabled). */
  async testConnection(): Promise<ConnectionTestResult> {
    const { credentials, view } = await this.settingsStore().resolve()
    if (!credentials) {
      return NOT_CONFIGURED_RESULT(view.problems)
    }
    return describeProbe(await this.client_.probe(credentials), credentials.baseUrl)
  }

  async listOfferLog(filters: OfferLogFilters): Promise<{ offers: OfferLogEntry[]; count: number }> {
    return listOfferLog(this.manager_, filters)
  }

  async getOfferStats(range: { created_from?: Date; created_to?: Date }): Promise<OfferStats> {
    return offerStats(this.manager_, range)
  }

  /** Moves a failed or rejected offer back to pending, due now; the caller dispatches it. */
  async requeueOffer(id: string): Promise<OfferLogEntry> {
    return requeueOffer(this.manager_, id)
  }
}

/** Adds an offer as `shown`; null when the offer id is already recorded (by any cart). */
async function insertShownOffer(
  em: SqlManager,
  row: { offer_id: string; cart_id: string; source: OfferSource }
): Promise<RecordedOffer | null> {
  const [created] = await em.execute(
    `INSERT INTO xcover_offer (id, offer_id, cart_id, source, status, attempts, idempotency_key, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'shown', 0, ?, now(), now())
     ON CONFLICT (offer_id) WHERE deleted_at IS NULL DO NOTHING
     RETURNING offer_id, cart_id, status, source, created_at`,
    [generateEntityId(undefined, "xco"), row.offer_id, row.cart_id, row.source, idempotencyKeyFor(row.offer_id)]
  )
  return (created as RecordedOffer | undefined) ?? null
}

/** One stable idempotency key per offer, the same on every try and every process. */
export function idempotencyKeyFor(offerId: string): string {
  return `medusa-xcover-opt-out-${offerId}`
}
