import type { Logger } from "@medusajs/framework/types"
import { MedusaError, MedusaService, generateEntityId } from "@medusajs/framework/utils"
import { XcoverClient, type XcoverCallLog, type XcoverCallSettings } from "./client/xcover-client"
import { describeOutcome } from "./client/outcome"
import { XCOVER_OPTIONS_KEY } from "./loaders/validate-options"
import XcoverOffer, { type OfferSource, type OfferStatus } from "./models/xcover-offer"
import { MAX_OFFERS_PER_CART } from "./offer-id"
import type { XcoverOptions } from "./options"
import { lockCartOffers, type SqlManager } from "./sql"
import { listOfferLog, offerStats, requeueOffer, requeueOffers, type OfferLogEntry, type OfferLogFilters, type OfferStats } from "./reporting/offer-log"
import { Dispatcher, type DispatchResult } from "./outbox/dispatcher"
import type { CircuitView } from "./outbox/dispatch-state"
import { optOutKind } from "./outbox/opt-out"
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

export type { DispatchResult }

/** What the settings page shows of delivery: the credential circuit and XCover's clock. */
export type DeliveryHealth = {
  circuit: CircuitView
  /** XCover's clock minus ours, when more than a minute apart (signatures may be refused). */
  clock_skew_ms: number | null
  clock_skew_at: Date | null
}

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
  protected readonly dispatcher_: Dispatcher

  constructor(deps: InjectedDependencies) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.logger_ = deps.logger
    this.manager_ = deps.manager
    this.options_ = deps[XCOVER_OPTIONS_KEY]
    this.client_ = new XcoverClient({ timeoutMs: this.options_.timeoutMs }, (log) => this.logCall(log))
    this.dispatcher_ = new Dispatcher(
      this.manager_,
      this.client_,
      this.options_,
      this.logger_,
      () => this.settingsStore().resolve(),
      [optOutKind]
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
   * Sends every due opt-out (optionally only one order's) through the dispatcher: shared rate
   * budget, claims checked before each request, 429 pause and credential circuit.
   */
  async dispatchDueOptOuts(filter: { order_id?: string } = {}): Promise<DispatchResult> {
    return this.dispatcher_.dispatch(optOutKind, filter)
  }

  /** Background sweep for the scheduled job: one at a time per process; processes share the work. */
  async dispatchAllDue(): Promise<DispatchResult | null> {
    return this.dispatcher_.sweep(optOutKind)
  }

  async getDeliveryHealth(): Promise<DeliveryHealth> {
    const state = await this.dispatcher_.state.read()
    return { circuit: state.circuit, clock_skew_ms: state.clock_skew_ms, clock_skew_at: state.clock_skew_at }
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
    const saved = await this.settingsStore().save(input)
    // New settings may fix refused credentials: probe them on the next dispatch, not in 15 min.
    await this.dispatcher_.state.probeSoon()
    return saved
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
    const result = describeProbe(await this.dispatcher_.probe(credentials), credentials.baseUrl)
    if (result.result === "accepted" && (await this.dispatcher_.state.closeCircuit())) {
      this.logger_.info("xcover: the connection test passed; sending resumed")
    }
    return result
  }

  async listOfferLog(filters: OfferLogFilters): Promise<{ offers: OfferLogEntry[]; count: number }> {
    return listOfferLog(this.manager_, filters)
  }

  async getOfferStats(range: { created_from?: Date; created_to?: Date }): Promise<OfferStats> {
    return offerStats(this.manager_, range)
  }

  /** Moves every failed or rejected offer matching the filters back to pending, due now. */
  async requeueOffers(filters: Omit<OfferLogFilters, "limit" | "offset">): Promise<OfferLogEntry[]> {
    return requeueOffers(this.manager_, filters, this.options_.retry.maxAgeMs)
  }

  /** Moves a failed or rejected offer back to pending, due now; the caller dispatches it. */
  async requeueOffer(id: string): Promise<OfferLogEntry> {
    return requeueOffer(this.manager_, id, this.options_.retry.maxAgeMs)
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
