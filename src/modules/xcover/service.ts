import type {
  Context,
  IEventBusModuleService,
  Logger,
} from "@medusajs/framework/types"
import { XcoverLedgerReads } from "./ledger-reads"
import { XcoverClient } from "./client/xcover-client"
import { describeOutcome } from "./client/outcome"
import {
  createOfferResult,
  type CreateOfferResult,
  type CreatedOffer,
  type OfferRequest,
} from "./client/create-offer"
import {
  readQuoteState,
  recordQuotedOffer,
  type QuoteLedgerState,
  type QuotedOffer,
} from "./ledger/quoted-offers"
import { XCOVER_OPTIONS_KEY } from "./loaders/validate-options"
import {
  recordMetadataOffers,
  recordOrderOffers,
  recordShownOffer,
  type OrderOffersInput,
  type OrderOffersResult,
  type RecordedOffer,
} from "./ledger/offers"
import type { XcoverOptions } from "./options"
import {
  advanceOrderCursor,
  claimOrderCursor,
  finishReconcileRun,
  RECONCILER_CURSOR_FIELDS,
  reconcilerView,
  releaseOrderCursor,
  type ClaimedCursor,
  type OrderPosition,
  type ReconcileCursorName,
  type ReconcileFiguresRow,
  type ReconcilerView,
} from "./recovery/order-cursor"
import type { RecoveryLedger } from "./recovery/recover-missed-orders"
import type { ReconcileLedger } from "./recovery/reconcile-orders"
import type { LivePolicy } from "./recovery/order-drift"
import {
  findUndecidedOrders,
  type OrderToCheck,
} from "./recovery/undecided-orders"
import type { SqlManager } from "./sql"
import {
  listOfferLog,
  offerStats,
  requeueOffers,
  type OfferLogEntry,
  type OfferLogFilters,
  type OfferStats,
} from "./reporting/offer-log"
import { salesReport, type SalesReport } from "./reporting/sales-report"
import {
  BudgetRefusal,
  Dispatcher,
  type DispatchResult,
} from "./outbox/dispatcher"
import type { CircuitView } from "./outbox/dispatch-state"
import { optOutKind } from "./outbox/opt-out"
import { bookingKind } from "./outbox/booking"
import { cancelQuotes, cancellationKind } from "./outbox/cancellation"
import {
  requestBookingCancellation,
  requestCancellations,
  requeueCancellation,
  wakeWaitingCancellations,
} from "./ledger/cancellations"
import { receiveWebhook, type WebhookAnswer } from "./webhooks/receive-webhook"
import { EventPublisher, type EventsPublished } from "./ledger/durable-events"
import type { WebhookHeaders } from "./webhooks/verify"
import { logSettled } from "./outbox/settled"
import { readbackKind } from "./outbox/readback"
import { parseRefund, type XcoverRefund } from "./client/booking"
import type { CancellationReason } from "./models/xcover-cancellation"
import { MedusaError } from "@medusajs/framework/utils"
import type { Policyholder } from "./ledger/bookings"
import {
  NO_QUOTE_IDS_REASON,
  bookingStats,
  declineHeldBooking,
  livePolicies,
  ordersWithLivePoliciesAfter,
  requeueBooking,
  type BookingStats,
  type BookingView,
} from "./ledger/bookings"
import {
  describeProbe,
  NOT_CONFIGURED_RESULT,
  type ConnectionTestResult,
} from "./settings/connection-test"
import type { SettingsView, StoredSettings } from "./settings/resolve-settings"
import {
  XcoverSettingsStore,
  type SaveSettingsInput,
} from "./settings/settings-store"

/** How long the admin's preview waits for its slot (a 429 pause) before answering that it cannot now. */
const PREVIEW_MAX_WAIT_MS = 15_000

type InjectedDependencies = {
  logger: Logger
  manager: SqlManager
  /** Medusa's event bus, for `xcover.booking.*` events (absent in a module loaded alone). */
  event_bus?: IEventBusModuleService
  [XCOVER_OPTIONS_KEY]: XcoverOptions
}

export type {
  CoverLine,
  OrderOffersInput,
  OrderOffersResult,
  RecordedOffer,
} from "./ledger/offers"
export type { BookingInput, BookingView, Policyholder } from "./ledger/bookings"
export { idempotencyKeyFor } from "./ledger/offers"
export type { QuoteLedgerState, QuotedOffer } from "./ledger/quoted-offers"
export type {
  CreateOfferResult,
  CreatedOffer,
  OfferContent,
  OfferQuote,
} from "./client/create-offer"

export type { DispatchResult, EventsPublished }

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
export default class XcoverModuleService
  extends XcoverLedgerReads
  implements RecoveryLedger, ReconcileLedger
{
  protected readonly logger_: Logger
  protected readonly manager_: SqlManager
  protected readonly options_: XcoverOptions
  protected readonly client_: XcoverClient
  protected readonly dispatcher_: Dispatcher
  protected readonly settings_: XcoverSettingsStore
  protected readonly events_: EventPublisher

  /** Medusa's module lifecycle: on shutdown, close the keep-alive pools so no socket holds the process open. */
  readonly __hooks = {
    onApplicationShutdown: async (): Promise<void> => {
      // No new claims; what is in flight ends or its lease runs out for another process.
      this.dispatcher_.stop()
      await this.client_.close()
    },
  }

  constructor(deps: InjectedDependencies) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.logger_ = deps.logger
    this.manager_ = deps.manager
    this.options_ = deps[XCOVER_OPTIONS_KEY]
    // The parts are built here from what each needs, and none calls back into this façade.
    this.client_ = new XcoverClient(
      { timeoutMs: this.options_.timeoutMs },
      this.logger_
    )
    this.settings_ = new XcoverSettingsStore(
      this.manager_,
      this.options_,
      this.logger_
    )
    this.events_ = new EventPublisher(
      this.manager_,
      this.logger_,
      deps.event_bus,
      () => this.isShutDown
    )
    this.dispatcher_ = new Dispatcher({
      db: this.manager_,
      client: this.client_,
      options: this.options_,
      logger: this.logger_,
      settings: this.settings_,
      events: this.events_,
      kinds: [optOutKind, bookingKind, cancellationKind, readbackKind],
    })
  }

  /**
   * The caller's transaction when it passes one (`sharedContext.transactionManager`, as Medusa's
   * modules take it), else the module's own manager: the ledger's writes then commit or roll
   * back with the caller's work (its own transactions nest as savepoints).
   */
  protected managerOf(sharedContext: Context): SqlManager {
    return (
      (sharedContext.transactionManager as SqlManager | undefined) ??
      this.manager_
    )
  }

  /** The app is shutting down: a scheduled run that fires now must not start any work. */
  get isShutDown(): boolean {
    return this.dispatcher_.isStopped
  }

  // ---- Ledger and recovery (ledger/, recovery/): the order-placement side ----

  async recordShownOffer(
    input: {
      cart_id: string
      offer_id: string
    },
    sharedContext: Context = {}
  ): Promise<{ offer: RecordedOffer; created: boolean }> {
    return recordShownOffer(this.managerOf(sharedContext), input)
  }

  async recordMetadataOffers(
    cartId: string,
    offerIds: string[],
    sharedContext: Context = {}
  ): Promise<string[]> {
    return recordMetadataOffers(this.managerOf(sharedContext), cartId, offerIds)
  }

  async recordOrderOffers(
    input: OrderOffersInput,
    sharedContext: Context = {}
  ): Promise<OrderOffersResult> {
    const hold = this.options_.storefrontOfferBooking === "hold_for_review"
    const result = await recordOrderOffers(
      this.managerOf(sharedContext),
      input.booking
        ? {
            ...input,
            booking: { ...input.booking, hold_storefront_offers: hold },
          }
        : input
    )
    for (const offerId of result.bookings_failed ?? []) {
      // Nothing to send, so no dispatcher reports it: said here, as loudly as any failed booking.
      logSettled(
        {
          kind: "booking",
          status: "failed",
          offer_id: offerId,
          order_id: input.order_id,
          reason: NO_QUOTE_IDS_REASON,
        },
        this.logger_
      )
    }
    if (result.bookings_failed?.length) {
      void this.events_.publish()
    }
    for (const offerId of result.bookings_held ?? []) {
      this.logger_.warn(
        `xcover: booking of offer ${offerId} (order ${input.order_id}) is held for review: book or decline it on the order page`
      )
    }
    return result
  }

  async claimOrderCursor(owner: string): Promise<ClaimedCursor | null> {
    return claimOrderCursor(this.manager_, owner)
  }

  async advanceOrderCursor(owner: string, to: OrderPosition): Promise<boolean> {
    return advanceOrderCursor(this.manager_, owner, to)
  }

  async releaseOrderCursor(owner: string): Promise<void> {
    return releaseOrderCursor(this.manager_, owner)
  }

  // ---- The reconciler (recovery/reconcile-orders): orders and their policies kept in line ----

  async claimReconcileCursor(
    name: ReconcileCursorName,
    owner: string
  ): Promise<ClaimedCursor | null> {
    return claimOrderCursor(this.manager_, owner, name)
  }

  async advanceReconcileCursor(
    name: ReconcileCursorName,
    owner: string,
    to: OrderPosition
  ): Promise<boolean> {
    return advanceOrderCursor(this.manager_, owner, to, name)
  }

  async finishReconcileRun(
    name: ReconcileCursorName,
    owner: string,
    run: { figures: ReconcileFiguresRow; completed: boolean; retry: string[] }
  ): Promise<void> {
    return finishReconcileRun(this.manager_, owner, name, run)
  }

  async livePolicies(orderIds: string[]): Promise<LivePolicy[]> {
    return livePolicies(this.manager_, orderIds)
  }

  async ordersWithLivePoliciesAfter(
    afterId: string,
    take: number
  ): Promise<string[]> {
    return ordersWithLivePoliciesAfter(this.manager_, afterId, take)
  }

  /** The reconciler's figures since install, its last runs, and the orders it keeps retrying. */
  async getReconcilerView(): Promise<ReconcilerView> {
    const cursors = await this.listXcoverRecoveryCursors(
      { name: ["changed_orders", "full_pass"] },
      { select: [...RECONCILER_CURSOR_FIELDS] }
    )
    return reconcilerView(this.manager_, cursors)
  }

  async findUndecidedOrders(
    orders: OrderToCheck[]
  ): Promise<{ order_ids: string[]; ledger_rows_read: number }> {
    return findUndecidedOrders(this.manager_, orders)
  }

  /**
   * Sends every due opt-out (optionally only one order's) through the dispatcher: shared rate
   * budget, claims checked before each request, 429 pause and credential circuit.
   */
  async dispatchDueOptOuts(
    filter: { order_id?: string } = {}
  ): Promise<DispatchResult> {
    return this.dispatcher_.dispatch(optOutKind, filter)
  }

  /** Background sweep of opt-outs for the scheduled job: one at a time per process; processes share the work. */
  async dispatchAllDueOptOuts(): Promise<DispatchResult | null> {
    return this.dispatcher_.sweep(optOutKind)
  }

  // ---- Bookings (ledger/bookings, outbox/booking): the taken branch ----

  get bookingEnabled(): boolean {
    return this.options_.booking
  }

  /** Sends every due confirm (optionally one order's), through the same dispatcher and budget as opt-outs. */
  async dispatchDueBookings(
    filter: { order_id?: string } = {}
  ): Promise<DispatchResult> {
    return this.dispatcher_.dispatch(bookingKind, filter)
  }

  async dispatchAllDueBookings(): Promise<DispatchResult | null> {
    return this.dispatcher_.sweep(bookingKind)
  }

  async getBookingStats(sharedContext: Context = {}): Promise<BookingStats> {
    return bookingStats(this.managerOf(sharedContext))
  }

  /** Moves a failed booking back to pending, due now; the caller dispatches it. */
  async requeueBooking(
    id: string,
    now?: { policyholder: Policyholder | null; quote_ids: string[] },
    sharedContext: Context = {}
  ): Promise<BookingView> {
    const moved = await requeueBooking(
      this.managerOf(sharedContext),
      id,
      this.options_.retry.maxAgeMs,
      now
    )
    const booking = await this.getBooking(id, sharedContext)
    if (!booking) {
      throw new MedusaError(
        MedusaError.Types.NOT_FOUND,
        `XCover booking ${id} was not found`
      )
    }
    if (!moved) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Only a failed or held booking can be sent again; this one is ${booking.status}`
      )
    }
    return booking
  }

  /** Declines a booking held for review: never sent; its offer is opted out instead. */
  async declineHeldBooking(
    id: string,
    sharedContext: Context = {}
  ): Promise<BookingView> {
    const declined = await declineHeldBooking(
      this.managerOf(sharedContext),
      id,
      "Declined by the merchant: the offer is opted out, no policy is booked"
    )
    const booking = await this.getBooking(id, sharedContext)
    if (!booking) {
      throw new MedusaError(
        MedusaError.Types.NOT_FOUND,
        `XCover booking ${id} was not found`
      )
    }
    if (!declined) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Only a booking held for review can be declined; this one is ${booking.status}`
      )
    }
    return booking
  }

  // ---- Cancellations (ledger/cancellations, outbox/cancellation) and webhooks ----

  /** Asks XCover to cancel an order's bookings (all, or those of these offers); once per booking. */
  async requestCancellations(
    input: {
      order_id: string
      offer_ids?: string[]
      reason: CancellationReason
    },
    sharedContext: Context = {}
  ): Promise<string[]> {
    return requestCancellations(this.managerOf(sharedContext), input)
  }

  async dispatchDueCancellations(
    filter: { order_id?: string } = {}
  ): Promise<DispatchResult> {
    return this.dispatcher_.dispatch(cancellationKind, filter)
  }

  async dispatchAllDueCancellations(): Promise<DispatchResult | null> {
    return this.dispatcher_.sweep(cancellationKind)
  }

  /** Makes due every cancellation whose booking is booked but which still waits for it (see `wakeWaitingCancellations`). */
  async wakeWaitingCancellations(sharedContext: Context = {}): Promise<number> {
    return wakeWaitingCancellations(this.managerOf(sharedContext))
  }

  /**
   * XCover's preview of cancelling a booking (the refund it would compute), for the admin to
   * read before confirming. A preview changes nothing at XCover, so it is not queued in the
   * outbox, but it is one more call on the account: it takes a slot of the budget, waits out a
   * 429 pause (up to `PREVIEW_MAX_WAIT_MS`) and is refused while the credential circuit is open.
   */
  async previewCancellation(bookingRowId: string): Promise<XcoverRefund> {
    const booking = await this.getBooking(bookingRowId)
    if (!booking) {
      throw new MedusaError(
        MedusaError.Types.NOT_FOUND,
        `XCover booking ${bookingRowId} was not found`
      )
    }
    if (
      booking.status !== "booked" ||
      !booking.booking_id ||
      booking.booking_status === "CANCELLED"
    ) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Only a booked policy can be cancelled; this one is ${booking.booking_status ?? booking.status}`
      )
    }
    const { call, view } = await this.settings_.resolve()
    if (!call) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        view.problems[0] ?? "XCover is not configured"
      )
    }
    const quotes = cancelQuotes(
      booking.quotes.map((q) => q.id),
      "admin"
    )
    const bookingId = booking.booking_id
    const answer = await this.dispatcher_
      .callWithinBudget(
        call,
        (client) =>
          client.cancelBooking(call, bookingId, { preview: true, quotes }),
        { maxWaitMs: PREVIEW_MAX_WAIT_MS }
      )
      .catch((err: unknown) => {
        if (err instanceof BudgetRefusal) {
          const when =
            err.retryInMs === null
              ? ""
              : `; try again in ${Math.max(1, Math.ceil(err.retryInMs / 1000))} s`
          throw new MedusaError(
            MedusaError.Types.NOT_ALLOWED,
            `XCover's cancellation preview was not asked for: ${err.message}${when}`
          )
        }
        throw err
      })
    const refund =
      answer.outcome.kind === "done" ? parseRefund(answer.body) : null
    if (!refund) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `XCover gave no cancellation preview: ${describeOutcome(answer.outcome)}`
      )
    }
    return refund
  }

  /** Cancels one booking by hand (admin), through the outbox; the caller dispatches it. */
  async requestBookingCancellation(
    bookingRowId: string,
    sharedContext: Context = {}
  ): Promise<{ order_id: string; offer_id: string }> {
    const [booking] = await this.listXcoverBookings(
      { id: bookingRowId },
      { select: ["id", "order_id", "offer_id", "status", "booking_status"] },
      sharedContext
    )
    if (!booking) {
      throw new MedusaError(
        MedusaError.Types.NOT_FOUND,
        `XCover booking ${bookingRowId} was not found`
      )
    }
    if (booking.status !== "booked" || booking.booking_status === "CANCELLED") {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Only a booked policy can be cancelled; this one is ${booking.booking_status ?? booking.status}`
      )
    }
    return requestBookingCancellation(this.managerOf(sharedContext), booking)
  }

  async requeueCancellation(
    bookingRowId: string,
    sharedContext: Context = {}
  ): Promise<{ order_id: string }> {
    return requeueCancellation(
      this.managerOf(sharedContext),
      bookingRowId,
      this.options_.retry.maxAgeMs
    )
  }

  /**
   * An incoming webhook: verified with the account's key and secret, then applied (see
   * webhooks/receive-webhook). Answers what the route sends.
   */
  async receiveWebhook(
    headers: WebhookHeaders,
    rawBody: string
  ): Promise<WebhookAnswer> {
    const { credentials } = await this.settings_.resolve()
    const answer = await receiveWebhook(
      {
        manager: this.manager_,
        logger: this.logger_,
        retryMaxAgeMs: this.options_.retry.maxAgeMs,
      },
      credentials,
      headers,
      rawBody
    )
    if (answer.read_back_order_id) {
      // Read back now, after answering: the job would send it otherwise.
      void this.dispatchDueReadbacks({
        order_id: answer.read_back_order_id,
      }).catch(() => undefined)
    }
    return answer
  }

  /** Sends due read-backs of booked policies (optionally one order's), through the dispatcher and its budget. */
  async dispatchDueReadbacks(
    filter: { order_id?: string } = {}
  ): Promise<DispatchResult> {
    return this.dispatcher_.dispatch(readbackKind, filter)
  }

  async dispatchAllDueReadbacks(): Promise<DispatchResult | null> {
    return this.dispatcher_.sweep(readbackKind)
  }

  /**
   * Publishes every event not yet taken by the event bus (`ledger/durable-events`): the job's
   * run, for events a crash or a bus outage left behind; the dispatcher asks after each outcome.
   */
  publishEvents(): Promise<EventsPublished> {
    return this.events_.publish()
  }

  async getDeliveryHealth(): Promise<DeliveryHealth> {
    const state = await this.dispatcher_.state.read()
    return {
      circuit: state.circuit,
      clock_skew_ms: state.clock_skew_ms,
      clock_skew_at: state.clock_skew_at,
    }
  }

  // ---- Quotes (client/create-offer, ledger/quoted-offers): the cart side ----

  /** The language of the quotes the plugin asks for (plugin option `language`). */
  get quoteLanguage(): string {
    return this.options_.language
  }

  /**
   * Asks XCover for an offer while the shopper waits: no outbox and no slot of the opt-out
   * budget (Create Offer has its own, larger limit at XCover), the same signed funnel. With the
   * settings' version (from `readQuoteState`), settings already resolved at that version are
   * used without reading them again.
   */
  async createOffer(
    request: OfferRequest,
    options: { settings_version?: string | null } = {}
  ): Promise<CreateOfferResult> {
    const store = this.settings_
    const { call, view } = await (options.settings_version === undefined
      ? store.resolve()
      : store.resolveAt(options.settings_version))
    if (!call) {
      const reason = view.problems[0] ?? "XCover is not configured"
      return { kind: "unavailable", reason, retry_after_ms: null }
    }
    return createOfferResult(await this.client_.createOffer(call, request))
  }

  /**
   * The line's reusable offer, the cart's offer count and the settings' version, in one
   * statement; when XCover will be asked (`may_ask` and nothing to reuse), the call is counted
   * in it against `maxQuotesPerCartPerMinute` (no count when 0).
   */
  async readQuoteState(
    key: { cart_id: string; line_item_id: string; line_fingerprint: string },
    ask: { may_ask: boolean },
    sharedContext: Context = {}
  ): Promise<QuoteLedgerState> {
    return readQuoteState(this.managerOf(sharedContext), key, {
      may_ask: ask.may_ask,
      limit_per_minute: this.options_.maxQuotesPerCartPerMinute,
    })
  }

  async recordQuotedOffer(
    input: {
      cart_id: string
      line_item_id: string
      line_fingerprint: string
      offer: CreatedOffer
    },
    sharedContext: Context = {}
  ): Promise<QuotedOffer> {
    return recordQuotedOffer(this.managerOf(sharedContext), input)
  }

  // ---- Admin (settings, connection test, opt-out log, figures, manual retry) ----

  /** The settings in effect and where each value comes from; never the API secret. */
  async getAdminSettings(): Promise<SettingsView> {
    return (await this.settings_.resolve()).view
  }

  /** Encrypts an API secret typed in the admin; INVALID_DATA without an `encryptionKey`. */
  sealApiSecret(secret: string): string {
    return this.settings_.seal(secret)
  }

  /** Saves admin overrides; returns the previous row for compensation. */
  async saveAdminSettings(
    input: SaveSettingsInput
  ): Promise<{ previous: StoredSettings | null }> {
    const saved = await this.settings_.save(input)
    // New settings may fix refused credentials: probe them on the next dispatch, not in 15 min.
    await this.dispatcher_.state.probeSoon()
    return saved
  }

  async restoreAdminSettings(previous: StoredSettings | null): Promise<void> {
    await this.settings_.restore(previous)
  }

  /** Probes XCover with the settings in effect (even while disabled). */
  async testConnection(): Promise<ConnectionTestResult> {
    const { credentials, view } = await this.settings_.resolve()
    if (!credentials) {
      return NOT_CONFIGURED_RESULT(view.problems)
    }
    const result = describeProbe(
      await this.dispatcher_.probe(credentials),
      credentials.baseUrl
    )
    if (
      result.result === "accepted" &&
      (await this.dispatcher_.state.closeCircuit())
    ) {
      this.logger_.info("xcover: the connection test passed; sending resumed")
    }
    return result
  }

  async listOfferLog(
    filters: OfferLogFilters,
    sharedContext: Context = {}
  ): Promise<{ offers: OfferLogEntry[]; count: number }> {
    return listOfferLog(this.managerOf(sharedContext), filters)
  }

  async getOfferStats(
    range: {
      created_from?: Date
      created_to?: Date
    },
    sharedContext: Context = {}
  ): Promise<OfferStats> {
    return offerStats(this.managerOf(sharedContext), range)
  }

  /** Attach rate, premium booked and refunds per UTC day from `from` to `to` (`YYYY-MM-DD`) and per plan: one SQL statement. */
  async getSalesReport(
    range: {
      from: string
      to: string
    },
    sharedContext: Context = {}
  ): Promise<SalesReport> {
    return salesReport(this.managerOf(sharedContext), range)
  }

  /** Moves every failed or rejected offer matching the filters back to pending, due now. */
  async requeueOffers(
    filters: Omit<OfferLogFilters, "limit" | "offset">,
    sharedContext: Context = {}
  ): Promise<OfferLogEntry[]> {
    return requeueOffers(
      this.managerOf(sharedContext),
      filters,
      this.options_.retry.maxAgeMs
    )
  }

  /** Moves a failed or rejected offer back to pending, due now; the caller dispatches it. */
  async requeueOffer(
    id: string,
    sharedContext: Context = {}
  ): Promise<OfferLogEntry> {
    const [row] = await requeueOffers(
      this.managerOf(sharedContext),
      { id },
      this.options_.retry.maxAgeMs
    )
    if (row) {
      return row
    }
    // Not moved: say why (a plain read, through the generated method).
    const [existing] = await this.listXcoverOffers(
      { id },
      { select: ["status"] },
      sharedContext
    )
    if (!existing) {
      throw new MedusaError(
        MedusaError.Types.NOT_FOUND,
        `XCover offer with id: ${id} was not found`
      )
    }
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Only failed or rejected offers can be retried; this one is ${existing.status}`
    )
  }
}
