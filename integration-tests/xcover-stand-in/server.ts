// The entry of the XCover stand-in: `XcoverStandIn` builds the HTTP server and is what tests
// script and ask; its parts are beside this file (`routes/` one file per API call, `dispatch.ts`
// the HTTP dispatch, `state.ts` what it keeps, `signature.ts`, `scripted.ts`, `recording.ts`,
// `webhooks.ts`). Every export of the stand-in is exported here.
import { createServer, type Server } from "node:http"
import type { AddressInfo, Socket } from "node:net"
import { book } from "./bookings"
import { cancelBooking, refundsFor } from "./cancellation"
import { dispatch } from "./dispatch"
import { STAND_IN_PLANS } from "./plans"
import {
  acceptedOfferIds,
  cancellationsForOffer,
  confirmsForOffer,
  requestsForOffer,
} from "./recording"
import { StandInState } from "./state"
import type {
  Behaviour,
  ConfirmableOffer,
  CreatedOffer,
  ReceivedRequest,
  StandInBooking,
  StandInOptions,
} from "./types"
import {
  sendWebhook,
  webhookPayload,
  type StandInWebhookEvent,
  type StandInWebhookOptions,
  type StandInWebhookPayload,
} from "./webhooks"

export type { StandInErrorBody } from "./errors"
export { STAND_IN_PLANS, standInQuotePrice, type StandInPlan } from "./plans"
export type {
  Behaviour,
  ConfirmableOffer,
  CreatedOffer,
  ReceivedRequest,
  StandInBooking,
  StandInBookingQuote,
  StandInCancellationPreview,
  StandInOptions,
  StandInRoute,
} from "./types"
export type {
  StandInWebhookEvent,
  StandInWebhookOptions,
  StandInWebhookPayload,
} from "./webhooks"

/**
 * A local stand-in for XCover's Offers API, under `{prefix}/partners/{partner}/`: Create Offer
 * (`POST offers/`), opt-out (`POST offers/{offer}/opt_out/`), Confirm Offer
 * (`POST offers/{offer}/confirm/`), Get Booking (`GET bookings/{booking}/`), Cancel Booking
 * (`POST bookings/{booking}/cancel`, with or without the trailing slash) and Confirm Cancellation
 * (`POST bookings/{booking}/confirm_cancellation/{cancellation}/`). It checks every request's
 * signature exactly as `shared/xcover-api.md` documents it, independently of the plugin's own
 * signing code, and can be scripted. Mock at the network edge: the plugin talks real HTTP to it.
 *
 * Where its answers come from. The live sandbox captures in `../xcover-contract/captures/` (named
 * below) win over the notes; `../xcover-contract/stand-in-contract.spec.ts` replays every one of
 * them against this stand-in. Each behaviour's comment names its capture, or says "guess".
 *
 * From captures:
 * - Create Offer: 200 with `content` whether the query is empty (market-*), `include_content=true`
 *   or `include_content=true&extra_fields=...` (extra-fields-test); no `status` fields; country and
 *   currency are not validated (err-bad-country, err-bad-currency); extra `context.product` fields
 *   are taken (sku-category-test); `{}` is refused 422 with `non_field_errors` (err-empty-body); an
 *   unpriceable product 422 `offer_quote_generation_failed` (err-missing-field); malformed JSON 400
 *   (err-malformed); a bad signature 403 (err-bad-signature).
 * - Confirm Offer: the booking (confirm-first, confirm-stale-2day, app-confirm-offer); a second
 *   confirm without a key 422 "Booking already exists ..." in `errors` (confirm-repeat); a repeated
 *   key 409 with the first answer (idempotency-key-first, -repeat); an unknown offer 404
 *   (err-invalid-offer-id).
 * - Cancel Booking: a preview answers the booking as it would be, CANCELLED, totals 0, with the
 *   refund, `cancellation_id` and `confirm_before`, and changes nothing (cancel-preview,
 *   cancel-twostep-preview); Confirm Cancellation and the one-step cancel answer it CANCELLED with
 *   `cancellation_id` and `confirm_before` null (cancel-twostep-confirm, cancel-confirm-1,
 *   cancel-cleanup-2, app-cancel-booking); a cancelled booking 422 "Status change not allowed ..."
 *   in `errors` (cancel-repeat). Bodies as captured: `preview`, `quotes`, `refund_required`.
 * - Opt-out: 204 without a body (opt-out-fresh).
 *
 * Guesses (no capture): what Get Booking shows after a cancellation; a refused confirm's key kept
 * like a success's; 423 while a key's first request is processing; the 422s of other field checks
 * (their field names and texts); partial cancellations refused; Get Booking's and Confirm
 * Cancellation's 404s and an expired preview's 422; opt-out's 409 replay; the bodies of 423, 429
 * and 5xx; other Create Offer queries 404; webhooks (`sendWebhook`).
 *
 * Create Offer quotes deterministic prices (`standInQuotePrice`) for two plans (`STAND_IN_PLANS`);
 * `refuseCover` and `setPlans` change what it offers, `holdOffers` delays it, `createdOffers` remembers what it answered.
 * Confirm Offer books a quote of an offer it created (or one a test registered with `knowOffer`);
 * `bookings` keeps them; `requirePhone`, `holdConfirms` and `bookedPriceDelta` change how it
 * books. Confirm Cancellation carries out the booking's latest preview. A cancelled booking stays
 * cancelled. `setRefundRatio` changes the refund, `cancellationsFor` counts the requests that
 * cancelled, `cancelAtXcover` and `updateBooking` change a booking without a request, and
 * `sendWebhook` calls the store the way XCover's webhooks do.
 */

export class XcoverStandIn {
  private readonly state: StandInState
  readonly received: ReceivedRequest[]
  /** Offers answered by Create Offer since the last reset, by offer id. */
  readonly createdOffers: Map<string, CreatedOffer>
  /** Bookings made by Confirm Offer since the last reset, by booking id. */
  readonly bookings: Map<string, StandInBooking>
  private readonly sockets = new Set<Socket>()
  private server: Server | null = null
  private port = 0

  constructor(options: StandInOptions) {
    this.state = new StandInState(options)
    this.received = this.state.received
    this.createdOffers = this.state.createdOffers
    this.bookings = this.state.bookings
  }

  get prefix(): string {
    return this.state.prefix
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}${this.prefix}`
  }

  /** Starts listening; a port of 0 picks a free one, a given port lets a restart reuse it. */
  async start(port = this.port): Promise<this> {
    const server = createServer(
      (req, res) => void dispatch(this.state, req, res)
    )
    server.on("connection", (socket) => {
      this.sockets.add(socket)
      socket.on("close", () => this.sockets.delete(socket))
    })
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject)
      server.listen(port, "127.0.0.1", () => resolve())
    })
    this.server = server
    this.port = (server.address() as AddressInfo).port
    return this
  }

  /** Stops and drops every open connection (hanging ones too), so XCover is truly unreachable. */
  async stop(): Promise<void> {
    const server = this.server
    this.server = null
    if (!server) {
      return
    }
    for (const res of this.state.hanging) {
      res.destroy()
    }
    this.state.hanging.clear()
    for (const socket of this.sockets) {
      socket.destroy()
    }
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /**
   * Answers for one offer's next requests (opt-out, Confirm Offer, and Cancel Booking and Confirm
   * Cancellation of its booking share the queue), in order; after them the default applies. On a
   * confirm a 2xx without `body` means "book as usual", on a cancel route "cancel as usual".
   */
  script(offerId: string, ...behaviours: Behaviour[]): void {
    this.state.scripted.forOffer(offerId, behaviours)
  }

  /**
   * Answers for the next correctly signed (and well-formed) requests of any route, before
   * per-offer scripts. For Create Offer, Confirm Offer, Get Booking, Cancel Booking and Confirm
   * Cancellation a 2xx without `body` means "do as usual" (its `headers` are added); any other
   * behaviour is answered as given, and a confirm or cancel answered so changes nothing (except
   * `bookThen`).
   */
  scriptNext(...behaviours: Behaviour[]): void {
    this.state.scripted.forNext(behaviours)
  }

  /** Runs the stand-in's clock this far from the machine's: its `Date` answers and its checks. */
  setClockOffset(ms: number): void {
    this.state.clockOffsetMs = ms
  }

  /** Create Offer answers 422 `offer_quote_generation_failed` for a product with one of these SKUs (until reset). */
  refuseCover(...skus: string[]): void {
    for (const sku of skus) {
      this.state.refusedSkus.add(sku)
    }
  }

  /**
   * Create Offer quotes only these plans (product_config_id) until reset; default both. With
   * none left it answers 422 `offer_quote_generation_failed`.
   */
  setPlans(configIds: string[]): void {
    for (const id of configIds) {
      if (!STAND_IN_PLANS.some((p) => p.productConfigId === id)) {
        throw new Error(`stand-in has no plan ${id}`)
      }
    }
    this.state.plans = [...configIds]
  }

  /**
   * Confirm Offer accepts this offer (as if Create Offer had answered it) until reset: for
   * offers a storefront created itself.
   */
  knowOffer(
    offerId: string,
    quotes: { id: string; price: number; product_config_id?: string }[],
    currency = "EUR"
  ): void {
    this.state.knownOffers.set(offerId, {
      currency,
      quotes: quotes.map((q) => ({ ...q })),
    })
  }

  /** Confirm Offer requires `policyholder.phone` too (until reset; by default it does not). */
  requirePhone(required: boolean): void {
    this.state.phoneRequired = required
  }

  /**
   * Confirm Offer takes this long (ms) to process before it books and answers (until reset;
   * default 0), so that a concurrent request with the same key sees 423.
   */
  holdConfirms(ms: number): void {
    this.state.confirmHoldMs = ms
  }

  /**
   * Create Offer takes this long (ms) before it quotes (until reset; default 0). No capture: a
   * fault, so that concurrent quotes of one cart are all in flight at once.
   */
  holdOffers(ms: number): void {
    this.state.offerHoldMs = ms
  }

  /** Later bookings' `total_price` is this much more than the confirmed quotes' prices (until reset). */
  bookedPriceDelta(delta: number): void {
    this.state.priceDelta = delta
  }

  /** What opt-out answers when nothing is scripted (Create Offer quotes instead: see scriptNext). */
  setDefault(behaviour: Behaviour): void {
    this.state.scripted.defaultBehaviour = behaviour
  }

  reset(): void {
    this.state.reset()
  }

  /** Connections clients hold open (keep-alive), to check that they close them. */
  openConnections(): number {
    return this.sockets.size
  }

  requestsFor(offerId: string): ReceivedRequest[] {
    return requestsForOffer(this.received, offerId)
  }

  /** Offers XCover counts as opted out: an opt-out answered 204 at least once. */
  acceptedOfferIds(): string[] {
    return acceptedOfferIds(this.received)
  }

  /** The booking of this offer, if Confirm Offer booked it. */
  bookingFor(offerId: string): StandInBooking | undefined {
    return this.state.bookingFor(offerId)
  }

  /** The Confirm Offer requests received for this offer. */
  confirmsFor(offerId: string): ReceivedRequest[] {
    return confirmsForOffer(this.received, offerId)
  }

  /**
   * Cancellations refund this share of each quote's price (`refund_value = round2(price * ratio)`,
   * the rest is `adjustment_fee`) until reset; null (the default) refunds it all. A preview fixes
   * the refund its confirmation carries out.
   */
  setRefundRatio(ratio: number | null): void {
    if (
      ratio !== null &&
      !(Number.isFinite(ratio) && ratio >= 0 && ratio <= 1)
    ) {
      throw new Error(`refund ratio must be between 0 and 1, got ${ratio}`)
    }
    this.state.refundRatio = ratio
  }

  /**
   * The requests (Cancel Booking without preview, Confirm Cancellation) that changed this offer's
   * booking to CANCELLED (`cancelled: true`), answered or not: more than one is a bug of the caller.
   */
  cancellationsFor(offerId: string): ReceivedRequest[] {
    return cancellationsForOffer(this.received, offerId)
  }

  /**
   * A booking made without a request, as Confirm Offer would have booked these quotes of the
   * offer (a benchmark whose ledger was written by SQL needs XCover's side of it too).
   */
  plantBooking(
    offerId: string,
    quotes: ConfirmableOffer["quotes"],
    currency = "EUR"
  ): StandInBooking {
    return book(this.state, offerId, { currency, quotes }, quotes, {
      policyholder: { first_name: "Ada", last_name: "Lovelace" },
    })
  }

  /**
   * The customer cancelled through the booking's cancel link: the booking becomes CANCELLED as a
   * cancellation leaves it (totals 0, the refund `setRefundRatio` gives: see `cancelBooking`)
   * without any request, and a pending preview is dropped.
   * Nothing if it is cancelled already; throws for a booking the stand-in does not have.
   */
  cancelAtXcover(bookingId: string): StandInBooking {
    const booking = this.state.existingBooking(bookingId)
    if (booking.status !== "CANCELLED") {
      cancelBooking(this.state, booking, refundsFor(this.state, booking))
    }
    return booking
  }

  /**
   * Changes a stored booking in place (a shallow merge), as if XCover had; nothing is checked,
   * not even "never back from CANCELLED". Throws for a booking the stand-in does not have.
   */
  updateBooking(
    bookingId: string,
    patch: Partial<Omit<StandInBooking, "id">>
  ): StandInBooking {
    return Object.assign(
      this.state.existingBooking(bookingId),
      structuredClone(patch)
    )
  }

  /** The stored booking as a webhook's `payload` carries it (a copy). Throws for a booking the stand-in does not have. */
  bookingPayload(bookingId: string): StandInWebhookPayload {
    return webhookPayload(this.state.existingBooking(bookingId))
  }

  /**
   * Calls a store's webhook as XCover does (see `webhooks.ts`: signed with the stand-in's key
   * unless `opts` say otherwise, dated by its clock). One try, no retries; gives up after 10 s.
   * Resolves with the store's answer.
   */
  async sendWebhook(
    url: string,
    event: StandInWebhookEvent,
    payload: object,
    opts: StandInWebhookOptions = {}
  ): Promise<{ status: number; body: string }> {
    return sendWebhook(this.state, url, event, payload, opts)
  }
}
