import {
  createHmac,
  randomBytes,
  randomInt,
  randomUUID,
  timingSafeEqual,
} from "node:crypto"
import {
  STATUS_CODES,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http"
import { request as httpsRequest } from "node:https"
import type { AddressInfo, Socket } from "node:net"

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

export type Behaviour =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { hang: true }
  | { reset: true }
  /**
   * A slow answer (no capture: a fault to test the client's deadline): the status and headers
   * after `headersAfterMs`, then a JSON body one byte at a time over `bodyMs`.
   */
  | { trickle: { status: number; headersAfterMs: number; bodyMs: number } }
  /**
   * Does the request's work as usual (Confirm Offer: books the offer and keeps the key as
   * answered; opt-out: accepts it as a 204 would; Create Offer: quotes; Get Booking: reads;
   * Cancel Booking: previews, or cancels; Confirm Cancellation: cancels) and then loses the
   * answer: destroys the socket, or never answers.
   */
  | { bookThen: "reset" | "hang" }

export type StandInRoute =
  | "opt_out"
  | "create_offer"
  | "confirm"
  | "get_booking"
  | "cancel"
  | "confirm_cancellation"

export type ReceivedRequest = {
  method: string
  /** As sent, query string included. */
  path: string
  /** Which API call the path named; null for a path (or method) the stand-in does not serve. */
  route: StandInRoute | null
  /**
   * The offer id in an opt-out or confirm path; for Cancel Booking and Confirm Cancellation the
   * offer id (`fast_quote_id`) of the booking in the path, when the stand-in has that booking
   * (else null). Always null for Create Offer and Get Booking; see `createdOfferId` for the
   * offer Create Offer created.
   */
  offerId: string | null
  /** The booking id in a Get Booking, Cancel Booking or Confirm Cancellation path, else null. */
  bookingId: string | null
  /**
   * True when this request (Cancel Booking without preview, or Confirm Cancellation) changed its
   * booking to CANCELLED, even if its answer was then lost (`bookThen`); else false.
   */
  cancelled: boolean
  /** Create Offer only: the id of the offer answered (200 from the stand-in's quoting), else null. */
  createdOfferId: string | null
  /** The request body parsed as JSON, or null when empty or not JSON. */
  body: unknown
  partnerCode: string | null
  idempotencyKey: string | null
  algorithm: string | null
  signedHeaders: string | null
  date: string | null
  /** The status the stand-in answered, or "hang" / "reset". */
  answer: number | "hang" | "reset"
  /** Why a 403/422 was given, for assertions and debugging. */
  reason: string | null
  at: number
  /** Client port of the connection, to count keep-alive reuse. */
  remotePort: number | null
  /** When a hanging request's connection was closed (by the client giving up). */
  closedAt: number | null
  apiKey: string | null
  /**
   * The stand-in's own time for this request, in ms (`performance.now()`): from its arrival (the
   * handler called) to the answer's last byte handed to the OS. Null until answered (and for
   * hang / reset).
   */
  handledMs: number | null
}

export type StandInOptions = {
  partnerCode: string
  apiKey: string
  apiSecret: string
  /** Path prefix of the base URL, default `/x`. */
  prefix?: string
  /** Accepted Date skew, default 5 minutes. */
  maxSkewMs?: number
  /** More key pairs of the same partner, e.g. one per app instance so tests can tell them apart. */
  extraKeys?: { apiKey: string; apiSecret: string }[]
}

/** A plan the stand-in quotes, and the rate of the retail value its price starts from. */
export type StandInPlan = {
  productConfigId: string
  title: string
  description: string
  rate: number
}

export const STAND_IN_PLANS: readonly StandInPlan[] = [
  {
    productConfigId: "pc-standard",
    title: "Standard Protection",
    description: "Accidental damage for 2 years",
    rate: 0.05,
  },
  {
    productConfigId: "pc-premium",
    title: "Premium Protection",
    description: "Accidental damage and theft for 3 years",
    rate: 0.09,
  },
]

/**
 * The price the stand-in quotes: round2(retailValue * rate * quantity^0.9), at least 0.5 (so,
 * like XCover's, not linear in quantity). Tests use it to compute the expected price; the plugin
 * itself must never compute a price.
 */
export function standInQuotePrice(
  planConfigId: string,
  retailValue: number,
  quantity = 1
): number {
  const plan = STAND_IN_PLANS.find((p) => p.productConfigId === planConfigId)
  if (!plan) {
    throw new Error(`stand-in has no plan ${planConfigId}`)
  }
  return Math.max(
    0.5,
    Math.round(retailValue * plan.rate * Math.pow(quantity, 0.9) * 100) / 100
  )
}

/** What Confirm Offer needs of an offer: created by Create Offer, or registered with `knowOffer`. */
export type ConfirmableOffer = {
  currency: string
  quotes: { id: string; price: number; product_config_id?: string }[]
}

/** A booking as Confirm Offer answers it (and Get Booking, and a 409 replay). */
export type StandInBooking = {
  id: string
  /** CANCELLED once cancelled (by a request, or `cancelAtXcover`): never back to CONFIRMED. */
  status: "CONFIRMED" | "CANCELLED"
  currency: string
  total_price: number
  total_premium: number
  total_tax: number
  partner_transaction_id: string | null
  fast_quote_id: string
  pds_url: string
  coi: { url: string; pdf: string }
  fnol_link: string
  cancel_link: string
  quotes: StandInBookingQuote[]
  policyholder: Record<string, unknown>
  /** Once cancelled: the sum of the quotes' `refund_value`. */
  total_refund?: number
  /** Once cancelled: the same as `total_refund`. */
  refund_amount?: number
  /** Once cancelled: null (cancel-confirm-1); a preview's answer carries its id instead. */
  cancellation_id?: string | null
  /** Once cancelled: null (cancel-confirm-1); a preview's answer carries its deadline instead. */
  confirm_before?: string | null
}

export type StandInBookingQuote = {
  id: string
  status: "CONFIRMED" | "CANCELLED"
  price: number
  policy_start_date: string
  can_be_cancelled: boolean
  policy: { policy_name: string }
  /** Once cancelled: what is refunded of `price`. */
  refund_value?: number
  /** Once cancelled: `price - refund_value`. */
  adjustment_fee?: number
}

/**
 * A booking as Cancel Booking's preview answers it: as it would be once cancelled (CANCELLED,
 * totals 0, the refund: cancel-preview), with the cancellation to confirm. The stored booking is
 * unchanged.
 */
export type StandInCancellationPreview = StandInBooking & {
  status: "CANCELLED"
  total_refund: number
  refund_amount: number
  /** XCover's form: three groups of 5 mixed-case letters and digits, then `-CCL` (`BhYgC-mbRZe-Y53wL-CCL`). */
  cancellation_id: string
  /** ISO time, 24 h after the preview. */
  confirm_before: string
}

/** A booking as a webhook's `payload` carries it. */
export type StandInWebhookPayload = Pick<
  StandInBooking,
  | "id"
  | "status"
  | "currency"
  | "total_price"
  | "partner_transaction_id"
  | "quotes"
>

export type StandInWebhookEvent =
  "BOOKING_CREATED" | "BOOKING_UPDATED" | "BOOKING_CANCELLED"

export type StandInWebhookOptions = {
  /** X-Api-Key and keyId; default the stand-in's api key. */
  apiKey?: string
  /** Signing secret; default the stand-in's api secret. */
  apiSecret?: string
  /** The moment the Date header names; default now. */
  date?: Date
  /** Default hmac-sha256, as XCover's webhooks sign. */
  algorithm?: "hmac-sha256" | "hmac-sha512"
  /** Flips one character of the signature. */
  tamper?: boolean
  /** Sends this raw body instead of `{ event, payload }` (signed all the same). */
  body?: string
}

/** An offer the stand-in answered to Create Offer (200), as `createdOffers` keeps it. */
export type CreatedOffer = {
  id: string
  currency: string
  /** The request body that created it. */
  body: unknown
  quotes: { id: string; product_config_id: string; price: number }[]
}

const DATE_RE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/
const DIGESTS: Record<string, string> = {
  "hmac-sha512": "sha512",
  "hmac-sha384": "sha384",
  "hmac-sha256": "sha256",
}
/** How long a cancellation preview can be confirmed. */
const CANCELLATION_TTL_MS = 24 * 60 * 60 * 1000

/** How long XCover keeps the first answer to an idempotency key (`shared/xcover-api.md`). */
const IDEMPOTENCY_TTL_MS = 48 * 60 * 60 * 1000

/** A previewed cancellation, waiting for Confirm Cancellation: the refund fixed at preview. */
type PendingCancellation = {
  id: string
  bookingId: string
  confirmBefore: number
  refunds: QuoteRefund[]
}

/** The first answer to an idempotency key, kept for its 409 replays. */
type KeptAnswer = { status: number; body: unknown; at: number }

export class XcoverStandIn {
  readonly received: ReceivedRequest[] = []
  /** Offers answered by Create Offer since the last reset, by offer id. */
  readonly createdOffers = new Map<string, CreatedOffer>()
  /** Bookings made by Confirm Offer since the last reset, by booking id. */
  readonly bookings = new Map<string, StandInBooking>()
  /** Offers a test registered with `knowOffer` (Confirm Offer accepts them like created ones). */
  private readonly knownOffers = new Map<string, ConfirmableOffer>()
  /**
   * The first answer to each Confirm Offer idempotency key, as answered (a replay is that answer,
   * even once the booking was cancelled since), and when (by the stand-in's clock): see
   * `keepConfirmAnswer`.
   */
  private readonly confirmKeys = new Map<string, KeptAnswer>()
  /** Idempotency keys of confirms still being processed. */
  private readonly lockedKeys = new Set<string>()
  /** Answers to lose once the work is done (`bookThen`). */
  private readonly losing = new WeakMap<ServerResponse, "reset" | "hang">()
  private phoneRequired = false
  private confirmHoldMs = 0
  private offerHoldMs = 0
  private priceDelta = 0
  /** Share of each quote's price refunded on cancellation; null: all of it. */
  private refundRatio: number | null = null
  /** The latest cancellation previewed of each booking (by booking id), until confirmed or cancelled otherwise. */
  private readonly pendingCancellations = new Map<string, PendingCancellation>()
  /** Bumped by reset, so that a confirm held across a reset books nothing into the new state. */
  private generation = 0
  private readonly refusedSkus = new Set<string>()
  private plans: string[] | null = null
  private readonly scripts = new Map<string, Behaviour[]>()
  private defaultBehaviour: Behaviour = { status: 204 }
  /** Answers for the next signed requests whatever their offer, before per-offer scripts. */
  private readonly nextAnswers: Behaviour[] = []
  private clockOffsetMs = 0
  private readonly answeredKeys = new Map<string, number>()
  private readonly sockets = new Set<Socket>()
  private readonly hanging = new Set<ServerResponse>()
  private server: Server | null = null
  private port = 0

  constructor(private readonly options: StandInOptions) {}

  get prefix(): string {
    return this.options.prefix ?? "/x"
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}${this.prefix}`
  }

  /** Starts listening; a port of 0 picks a free one, a given port lets a restart reuse it. */
  async start(port = this.port): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res))
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
    for (const res of this.hanging) {
      res.destroy()
    }
    this.hanging.clear()
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
    this.scripts.set(offerId, [
      ...(this.scripts.get(offerId) ?? []),
      ...behaviours,
    ])
  }

  /**
   * Answers for the next correctly signed (and well-formed) requests of any route, before
   * per-offer scripts. For Create Offer, Confirm Offer, Get Booking, Cancel Booking and Confirm
   * Cancellation a 2xx without `body` means "do as usual" (its `headers` are added); any other
   * behaviour is answered as given, and a confirm or cancel answered so changes nothing (except
   * `bookThen`).
   */
  scriptNext(...behaviours: Behaviour[]): void {
    this.nextAnswers.push(...behaviours)
  }

  /** Runs the stand-in's clock this far from the machine's: its `Date` answers and its checks. */
  setClockOffset(ms: number): void {
    this.clockOffsetMs = ms
  }

  /** Create Offer answers 422 `offer_quote_generation_failed` for a product with one of these SKUs (until reset). */
  refuseCover(...skus: string[]): void {
    for (const sku of skus) {
      this.refusedSkus.add(sku)
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
    this.plans = [...configIds]
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
    this.knownOffers.set(offerId, {
      currency,
      quotes: quotes.map((q) => ({ ...q })),
    })
  }

  /** Confirm Offer requires `policyholder.phone` too (until reset; by default it does not). */
  requirePhone(required: boolean): void {
    this.phoneRequired = required
  }

  /**
   * Confirm Offer takes this long (ms) to process before it books and answers (until reset;
   * default 0), so that a concurrent request with the same key sees 423.
   */
  holdConfirms(ms: number): void {
    this.confirmHoldMs = ms
  }

  /**
   * Create Offer takes this long (ms) before it quotes (until reset; default 0). No capture: a
   * fault, so that concurrent quotes of one cart are all in flight at once.
   */
  holdOffers(ms: number): void {
    this.offerHoldMs = ms
  }

  /** Later bookings' `total_price` is this much more than the confirmed quotes' prices (until reset). */
  bookedPriceDelta(delta: number): void {
    this.priceDelta = delta
  }

  /** What opt-out answers when nothing is scripted (Create Offer quotes instead: see scriptNext). */
  setDefault(behaviour: Behaviour): void {
    this.defaultBehaviour = behaviour
  }

  reset(): void {
    this.received.length = 0
    this.scripts.clear()
    this.nextAnswers.length = 0
    this.clockOffsetMs = 0
    this.answeredKeys.clear()
    this.defaultBehaviour = { status: 204 }
    this.refusedSkus.clear()
    this.plans = null
    this.createdOffers.clear()
    this.bookings.clear()
    this.knownOffers.clear()
    this.confirmKeys.clear()
    this.lockedKeys.clear()
    this.phoneRequired = false
    this.confirmHoldMs = 0
    this.offerHoldMs = 0
    this.priceDelta = 0
    this.refundRatio = null
    this.pendingCancellations.clear()
    this.generation++
  }

  /** Connections clients hold open (keep-alive), to check that they close them. */
  openConnections(): number {
    return this.sockets.size
  }

  requestsFor(offerId: string): ReceivedRequest[] {
    return this.received.filter((r) => r.offerId === offerId)
  }

  /** Offers XCover counts as opted out: an opt-out answered 204 at least once. */
  acceptedOfferIds(): string[] {
    return this.received
      .filter((r) => r.route === "opt_out" && r.answer === 204 && r.offerId)
      .map((r) => r.offerId as string)
  }

  /** The booking of this offer, if Confirm Offer booked it. */
  bookingFor(offerId: string): StandInBooking | undefined {
    for (const booking of this.bookings.values()) {
      if (booking.fast_quote_id === offerId) {
        return booking
      }
    }
    return undefined
  }

  /** The Confirm Offer requests received for this offer. */
  confirmsFor(offerId: string): ReceivedRequest[] {
    return this.received.filter(
      (r) => r.route === "confirm" && r.offerId === offerId
    )
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
    this.refundRatio = ratio
  }

  /**
   * The requests (Cancel Booking without preview, Confirm Cancellation) that changed this offer's
   * booking to CANCELLED (`cancelled: true`), answered or not: more than one is a bug of the caller.
   */
  cancellationsFor(offerId: string): ReceivedRequest[] {
    return this.received.filter((r) => r.cancelled && r.offerId === offerId)
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
    return this.book(offerId, { currency, quotes }, quotes, {
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
    const booking = this.existingBooking(bookingId)
    if (booking.status !== "CANCELLED") {
      this.cancelBooking(booking, this.refundsFor(booking))
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
      this.existingBooking(bookingId),
      structuredClone(patch)
    )
  }

  /** The stored booking as a webhook's `payload` carries it (a copy). Throws for a booking the stand-in does not have. */
  bookingPayload(bookingId: string): StandInWebhookPayload {
    const {
      id,
      status,
      currency,
      total_price,
      partner_transaction_id,
      quotes,
    } = this.existingBooking(bookingId)
    return structuredClone({
      id,
      status,
      currency,
      total_price,
      partner_transaction_id,
      quotes,
    })
  }

  /**
   * Calls a store's webhook as XCover does: POST of `{ "event", "payload" }` (or `opts.body`
   * raw) with `Date` (of `opts.date`, else the stand-in's clock: see `setClockOffset`),
   * `X-Api-Key`, `Authorization: Signature keyId="…",algorithm="hmac-sha256",signature="…"` (HMAC
   * over `date: <Date>`, base64, percent-encoded) and `Content-Type: application/json`. One try,
   * no retries; gives up after 10 s. Resolves with the store's answer.
   */
  async sendWebhook(
    url: string,
    event: StandInWebhookEvent,
    payload: object,
    opts: StandInWebhookOptions = {}
  ): Promise<{ status: number; body: string }> {
    const apiKey = opts.apiKey ?? this.options.apiKey
    const secret = opts.apiSecret ?? this.options.apiSecret
    const algorithm = opts.algorithm ?? "hmac-sha256"
    const date = (
      opts.date ?? new Date(Date.now() + this.clockOffsetMs)
    ).toUTCString()
    let signature = encodeURIComponent(
      createHmac(DIGESTS[algorithm], secret)
        .update(`date: ${date}`)
        .digest("base64")
    )
    if (opts.tamper) {
      signature = tamperWith(signature)
    }
    const body = opts.body ?? JSON.stringify({ event, payload })
    const target = new URL(url)
    const send = target.protocol === "https:" ? httpsRequest : httpRequest
    return new Promise((resolve, reject) => {
      const req = send(
        target,
        {
          method: "POST",
          agent: false,
          timeout: 10_000,
          headers: {
            Date: date,
            "X-Api-Key": apiKey,
            Authorization: `Signature keyId="${apiKey}",algorithm="${algorithm}",signature="${signature}"`,
            "Content-Type": "application/json",
            "Content-Length": String(Buffer.byteLength(body)),
          },
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on("data", (c: Buffer) => chunks.push(c))
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString("utf8"),
            })
          )
          res.on("error", reject)
        }
      )
      req.on("timeout", () =>
        req.destroy(new Error(`webhook to ${url} timed out`))
      )
      req.on("error", reject)
      req.end(body)
    })
  }

  private existingBooking(bookingId: string): StandInBooking {
    const booking = this.bookings.get(bookingId)
    if (!booking) {
      throw new Error(`stand-in has no booking ${bookingId}`)
    }
    return booking
  }

  private async handle(
    req: IncomingMessage,
    res: ServerResponse
  ): Promise<void> {
    const at = Date.now()
    const arrived = performance.now()
    const body = await readBody(req)
    const record: ReceivedRequest = {
      method: req.method ?? "",
      path: req.url ?? "",
      route: null,
      offerId: null,
      bookingId: null,
      cancelled: false,
      createdOfferId: null,
      body: parseJson(body),
      partnerCode: null,
      idempotencyKey: header(req, "x-idempotency-key"),
      algorithm: null,
      signedHeaders: null,
      date: header(req, "date"),
      answer: 403,
      reason: null,
      at,
      remotePort: req.socket.remotePort ?? null,
      closedAt: null,
      apiKey: header(req, "x-api-key"),
      handledMs: null,
    }
    this.received.push(record)
    res.once("finish", () => (record.handledMs = performance.now() - arrived))

    const route = this.matchRoute(req.method ?? "", req.url ?? "")
    if (!route.ok) {
      // Outside the API XCover's JSON errors do not apply: a web server's plain page, as for a wrong base path.
      record.answer = route.status
      record.reason = route.reason
      res
        .writeHead(route.status, { "content-type": "text/html" })
        .end(
          `<html><body><h1>${route.status} ${STATUS_CODES[route.status]}</h1></body></html>`
        )
      return
    }
    record.route = route.route
    record.offerId = route.offerId
    record.partnerCode = route.partnerCode
    if ("bookingId" in route) {
      record.bookingId = route.bookingId
    }
    if (route.route === "cancel" || route.route === "confirm_cancellation") {
      record.offerId = this.bookings.get(route.bookingId)?.fast_quote_id ?? null
    }

    const auth = this.checkSignature(req, record)
    if (auth) {
      return this.answer(
        res,
        record,
        403,
        {
          type: "auth_error",
          message: "You do not have permission to access this url",
        },
        auth
      )
    }
    if (route.partnerCode !== this.options.partnerCode) {
      return this.answer(
        res,
        record,
        403,
        {
          type: "auth_error",
          message: "You do not have permission to access this url",
        },
        "unknown partner code"
      )
    }
    if (route.route === "create_offer") {
      if (this.offerHoldMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, this.offerHoldMs))
      }
      return this.createOffer(req, res, record, body)
    }
    if (route.route === "confirm") {
      return this.confirm(req, res, record, route.offerId, body)
    }
    if (route.route === "get_booking") {
      return this.getBooking(req, res, record, route.bookingId)
    }
    if (route.route === "cancel") {
      return this.cancel(req, res, record, route.bookingId, body)
    }
    if (route.route === "confirm_cancellation") {
      return this.confirmCancellation(
        req,
        res,
        record,
        route.bookingId,
        route.cancellationId,
        body
      )
    }
    // Opt-out's body: `{}` (opt-out-fresh) or empty; `partner_metadata` alone besides (shared/xcover-api.md).
    const checked = readBodyFields(req, body, {
      allowEmpty: true,
      fields: ["partner_metadata"],
    })
    if (!checked.ok) {
      return this.answer(
        res,
        record,
        checked.status,
        checked.body,
        checked.reason
      )
    }

    const key = record.idempotencyKey
    if (key && this.answeredKeys.has(key)) {
      // Guess: no capture of a repeated opt-out key; the plugin counts any 409 as opted out.
      return this.answer(
        res,
        record,
        409,
        { type: "conflict", message: "Request already processed" },
        "idempotent replay"
      )
    }

    const queue = this.nextAnswers.length
      ? this.nextAnswers
      : this.scripts.get(route.offerId)
    let behaviour = queue?.length
      ? (queue.shift() as Behaviour)
      : this.defaultBehaviour
    if ("bookThen" in behaviour) {
      // The opt-out is accepted (its key kept), then the answer lost.
      this.losing.set(res, behaviour.bookThen)
      behaviour = { status: 204 }
    }
    if (this.hangOrReset(req, res, record, behaviour)) {
      return
    }
    if (behaviour.status >= 200 && behaviour.status < 300 && key) {
      this.answeredKeys.set(key, behaviour.status)
    }
    const errorBody =
      behaviour.body ??
      (behaviour.status === 204
        ? undefined
        : defaultErrorBody(behaviour.status))
    return this.answer(
      res,
      record,
      behaviour.status,
      errorBody,
      null,
      behaviour.headers
    )
  }

  /** Carries out a hang or reset behaviour (true), or leaves a status behaviour to the caller (false). */
  private hangOrReset(
    req: IncomingMessage,
    res: ServerResponse,
    record: ReceivedRequest,
    behaviour: Behaviour
  ): behaviour is Extract<
    Behaviour,
    { hang: true } | { reset: true } | { trickle: unknown }
  > {
    if ("trickle" in behaviour) {
      const { status, headersAfterMs, bodyMs } = behaviour.trickle
      record.answer = status
      this.hanging.add(res)
      res.on("close", () => {
        record.closedAt = Date.now()
        this.hanging.delete(res)
      })
      const body = JSON.stringify({ type: "slow", message: "x".repeat(20) })
      setTimeout(() => {
        if (res.destroyed) {
          return
        }
        res.writeHead(status, {
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
        })
        let sent = 0
        const step = setInterval(
          () => {
            if (res.destroyed || sent >= body.length) {
              clearInterval(step)
              if (!res.destroyed) {
                res.end()
              }
              return
            }
            res.write(body[sent++])
          },
          Math.max(1, Math.floor(bodyMs / body.length))
        )
      }, headersAfterMs)
      return true
    }
    if ("hang" in behaviour) {
      record.answer = "hang"
      this.hanging.add(res)
      res.on("close", () => {
        record.closedAt = Date.now()
        this.hanging.delete(res)
      })
      return true
    }
    if ("reset" in behaviour) {
      record.answer = "reset"
      req.socket.destroy()
      return true
    }
    return false
  }

  /** Create Offer, once signature and partner are checked. No idempotency, no per-offer scripts. */
  private createOffer(
    req: IncomingMessage,
    res: ServerResponse,
    record: ReceivedRequest,
    raw: string
  ): void {
    // Guess: top-level fields other than these are refused (no capture sends one).
    const read = readBodyFields(req, raw, {
      fields: ["customer", "partner", "context", "request"],
    })
    const checked = read.ok ? checkCreateOfferFields(read.body) : read
    if (!checked.ok) {
      return this.answer(
        res,
        record,
        checked.status,
        checked.body,
        checked.reason
      )
    }
    const body = checked.body
    const scripted = this.nextAnswers.length
      ? (this.nextAnswers.shift() as Behaviour)
      : null
    if (scripted && this.hangOrReset(req, res, record, scripted)) {
      return
    }
    if (scripted && "bookThen" in scripted) {
      this.losing.set(res, scripted.bookThen)
    }
    if (
      scripted &&
      "status" in scripted &&
      (scripted.body !== undefined ||
        scripted.status < 200 ||
        scripted.status >= 300)
    ) {
      const errorBody =
        scripted.body ??
        (scripted.status === 204
          ? undefined
          : defaultErrorBody(scripted.status))
      return this.answer(
        res,
        record,
        scripted.status,
        errorBody,
        null,
        scripted.headers
      )
    }
    const headers =
      scripted && "status" in scripted ? scripted.headers : undefined

    const product = isObject(body.context.product) ? body.context.product : {}
    const retailValue = product.retail_value
    const quantity = product.quantity === undefined ? 1 : product.quantity
    if (
      typeof quantity !== "number" ||
      !Number.isInteger(quantity) ||
      quantity < 1
    ) {
      // Guess: no capture of a bad quantity.
      const bad = refused({
        "context.product.quantity": ["Must be a positive integer."],
      })
      return this.answer(res, record, bad.status, bad.body, bad.reason, headers)
    }
    const plans = STAND_IN_PLANS.filter(
      (p) => !this.plans || this.plans.includes(p.productConfigId)
    )
    const refusal =
      typeof retailValue !== "number" ||
      !Number.isFinite(retailValue) ||
      retailValue <= 0
        ? // err-missing-field (no retail_value); the same for one that is not a positive number is a guess.
          "retail_value_base calculation failed. Expression: to_policy_currency(retail_value)"
        : typeof product.sku === "string" && this.refusedSkus.has(product.sku)
          ? `No cover available for sku ${product.sku}` // guess: refuseCover's reason
          : plans.length === 0
            ? "No product available for this context" // guess: setPlans([])
            : null
    if (refusal || typeof retailValue !== "number") {
      return this.answer(
        res,
        record,
        422,
        quoteGenerationFailed(refusal ?? "", plans.length),
        refusal,
        headers
      )
    }

    const { currency, language, country } = body.customer
    const format = currencyFormatter(`${language}-${country}`, currency)
    const quotes = plans.map((plan) => ({
      id: randomUUID(),
      plan,
      price: standInQuotePrice(plan.productConfigId, retailValue, quantity),
    }))
    const offer: CreatedOffer = {
      id: randomUUID(),
      currency,
      body,
      quotes: quotes.map((q) => ({
        id: q.id,
        product_config_id: q.plan.productConfigId,
        price: q.price,
      })),
    }
    this.createdOffers.set(offer.id, offer)
    record.createdOfferId = offer.id
    // The offer as market-* answer it (no `status` fields), `content` whatever the query.
    const answer = {
      id: offer.id,
      currency,
      products: quotes.map((q) => ({
        id: q.id,
        product_config_id: q.plan.productConfigId,
        details: {
          pds_url: `https://www.xcover.com/en/pds/${q.id}`,
          finance: {
            price: {
              total_amount: q.price,
              total_amount_formatted: format(q.price),
            },
          },
        },
      })),
      content: {
        title: "Protect your purchase",
        heading: "Add product protection",
        positive_cta: "Yes, protect it",
        negative_cta: "No thanks",
        disclaimer:
          "Cover is provided by XCover, a Cover Genius company, under the terms of the PDS.",
        extras: { terms: "See the PDS" },
        products: quotes.map((q) => ({
          id: q.id,
          product_config_id: q.plan.productConfigId,
          title: q.plan.title,
          description: q.plan.description,
        })),
      },
      errors: {},
    }
    const status = scripted && "status" in scripted ? scripted.status : 200
    return this.answer(res, record, status, answer, null, headers)
  }

  /**
   * Confirm Offer, once signature and partner are checked: the key (409 with its first answer,
   * 423 while its first request is processing), the body's shape, then scripted faults (which
   * book nothing, `bookThen` apart), then, holding the key, the offer, its quotes, the
   * policyholder and an earlier booking, and the booking. Every answer the key's request got is
   * kept for its repeats (`keepConfirmAnswer`).
   */
  private async confirm(
    req: IncomingMessage,
    res: ServerResponse,
    record: ReceivedRequest,
    offerId: string,
    raw: string
  ): Promise<void> {
    const key = record.idempotencyKey
    const kept = key ? this.keptConfirmAnswer(key) : undefined
    if (kept) {
      // idempotency-key-repeat: 409 with the first answer (a booking there; a refusal's body for a refused key).
      return this.answer(res, record, 409, kept.body, "idempotent replay")
    }
    if (key && this.lockedKeys.has(key)) {
      // Guess: shared/xcover-api.md's 423, its body never captured.
      return this.answer(
        res,
        record,
        423,
        {
          type: "locked",
          message: "A request with this idempotency key is still processing",
        },
        "idempotency key locked"
      )
    }
    const reply = (
      status: number,
      body: unknown,
      reason: string | null,
      headers?: Record<string, string>
    ): void => {
      if (key) {
        this.keepConfirmAnswer(key, status, body)
      }
      return this.answer(res, record, status, body, reason, headers)
    }

    const checked = readBodyFields(req, raw, {
      fields: ["quotes", "policyholder", "partner_transaction_id"],
    })
    if (!checked.ok) {
      return reply(checked.status, checked.body, checked.reason)
    }
    const queue = this.nextAnswers.length
      ? this.nextAnswers
      : this.scripts.get(offerId)
    const scripted = queue?.length ? (queue.shift() as Behaviour) : null
    if (scripted && this.hangOrReset(req, res, record, scripted)) {
      return
    }
    if (scripted && "bookThen" in scripted) {
      this.losing.set(res, scripted.bookThen)
    }
    if (
      scripted &&
      "status" in scripted &&
      (scripted.body !== undefined ||
        scripted.status < 200 ||
        scripted.status >= 300)
    ) {
      const errorBody =
        scripted.body ??
        (scripted.status === 204
          ? undefined
          : defaultErrorBody(scripted.status))
      return reply(scripted.status, errorBody, null, scripted.headers)
    }
    const headers =
      scripted && "status" in scripted ? scripted.headers : undefined
    const status = scripted && "status" in scripted ? scripted.status : 200

    const generation = this.generation
    if (key) {
      this.lockedKeys.add(key)
    }
    try {
      if (this.confirmHoldMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, this.confirmHoldMs))
        if (generation !== this.generation) {
          return this.answer(
            res,
            record,
            503,
            defaultErrorBody(503),
            "stand-in reset while the confirm was held",
            headers
          )
        }
      }
      const offer =
        this.createdOffers.get(offerId) ?? this.knownOffers.get(offerId)
      if (!offer) {
        // err-invalid-offer-id.
        return reply(
          404,
          { type: "api_error", message: "Quote package does not exist" },
          "unknown offer",
          headers
        )
      }
      const fields = this.checkConfirmFields(checked.body, offerId, offer)
      if (!fields.ok) {
        return reply(fields.status, fields.body, fields.reason, headers)
      }
      const existing = this.bookingFor(offerId)
      if (existing) {
        // confirm-repeat: a second confirm without the first one's key.
        const exists = refused([
          `Booking already exists for fast_quote_id ${offerId}. INS number: ${existing.id}`,
        ])
        return reply(exists.status, exists.body, exists.reason, headers)
      }
      return reply(
        status,
        this.book(offerId, offer, fields.quotes, checked.body),
        null,
        headers
      )
    } finally {
      if (key && generation === this.generation) {
        this.lockedKeys.delete(key)
      }
    }
  }

  /** The kept first answer to this confirm key, unless none or older than 48 h. */
  private keptConfirmAnswer(key: string): KeptAnswer | undefined {
    const kept = this.confirmKeys.get(key)
    return kept &&
      Date.now() + this.clockOffsetMs - kept.at <= IDEMPOTENCY_TTL_MS
      ? kept
      : undefined
  }

  /**
   * Keeps a confirm's answer for its key's repeats, a copy as answered (idempotency-key-first,
   * -repeat; shared/xcover-api.md: the FIRST answer, 48 h). Guess beyond the captured success:
   * every answer the confirm itself gave is kept, 2xx and its 4xx refusals (a malformed body, an
   * unknown offer, a field, a booking that exists, a scripted 4xx); not 401/403 (XCover never got
   * as far as the key), 409, 423, 429, 5xx, hangs or resets (faults: the request may be retried).
   */
  private keepConfirmAnswer(key: string, status: number, body: unknown): void {
    const refusal =
      status >= 400 &&
      status < 500 &&
      ![401, 403, 409, 423, 429].includes(status)
    if ((status >= 200 && status < 300) || refusal) {
      this.confirmKeys.set(key, {
        status,
        body: structuredClone(body),
        at: Date.now() + this.clockOffsetMs,
      })
    }
  }

  /**
   * The confirm body's quotes and policyholder, as XCover's validation would take them. Guess:
   * refused 422 in XCover's shape with `errors` by field (`quotes[0].id`, `policyholder.phone`);
   * no capture of these.
   */
  private checkConfirmFields(
    body: ConfirmBody,
    offerId: string,
    offer: ConfirmableOffer
  ): { ok: true; quotes: ConfirmableOffer["quotes"] } | Refused {
    const errors: Record<string, string[]> = {}
    const quotes: ConfirmableOffer["quotes"] = []
    if (body.quotes === undefined) {
      errors.quotes = ["This field is required."]
    } else if (!Array.isArray(body.quotes)) {
      errors.quotes = ["Must be a list."]
    } else if (body.quotes.length === 0) {
      errors.quotes = ["This list may not be empty."]
    } else {
      body.quotes.forEach((q: unknown, i: number) => {
        const id = isObject(q) ? q.id : undefined
        const quote =
          typeof id === "string"
            ? offer.quotes.find((o) => o.id === id)
            : undefined
        if (typeof id !== "string" || !id) {
          errors[`quotes[${i}].id`] = ["This field is required."]
        } else if (!quote) {
          errors[`quotes[${i}].id`] = [
            `Quote ${id} is not part of offer ${offerId}.`,
          ]
        } else if (quotes.includes(quote)) {
          errors[`quotes[${i}].id`] = [`Quote ${id} is given more than once.`]
        } else {
          quotes.push(quote)
        }
      })
    }
    const holder = body.policyholder
    if (!isObject(holder)) {
      errors.policyholder = [
        holder === undefined || holder === null
          ? "This field is required."
          : "Must be an object.",
      ]
    } else {
      const required = [
        "first_name",
        "last_name",
        "email",
        "phone",
        "country",
      ].filter((f) => f !== "phone" || this.phoneRequired)
      for (const field of [
        "first_name",
        "last_name",
        "email",
        "phone",
        "country",
      ]) {
        const v = holder[field]
        if (v === undefined || v === null || v === "") {
          if (required.includes(field)) {
            errors[`policyholder.${field}`] = ["This field is required."]
          }
        } else if (typeof v !== "string") {
          errors[`policyholder.${field}`] = ["Not a valid string."]
        }
      }
    }
    const ref = body.partner_transaction_id
    if (ref !== undefined && ref !== null && typeof ref !== "string") {
      errors.partner_transaction_id = ["Not a valid string."]
    }
    return Object.keys(errors).length ? refused(errors) : { ok: true, quotes }
  }

  /** Records and returns the booking of these quotes of the offer. */
  private book(
    offerId: string,
    offer: ConfirmableOffer,
    quotes: ConfirmableOffer["quotes"],
    body: ConfirmBody
  ): StandInBooking {
    let id: string
    do {
      id = randomCode(2, UPPER_CODE_CHARS, "INS")
    } while (this.bookings.has(id))
    const token = randomBytes(16).toString("hex")
    const totalPrice = round2(
      quotes.reduce((sum, q) => sum + q.price, 0) + this.priceDelta
    )
    const totalPremium = round2(totalPrice / 1.1)
    const today = new Date(Date.now() + this.clockOffsetMs)
      .toISOString()
      .slice(0, 10)
    const booking: StandInBooking = {
      id,
      status: "CONFIRMED",
      currency: offer.currency,
      total_price: totalPrice,
      total_premium: totalPremium,
      total_tax: round2(totalPrice - totalPremium),
      partner_transaction_id:
        typeof body.partner_transaction_id === "string"
          ? body.partner_transaction_id
          : null,
      fast_quote_id: offerId,
      pds_url: `https://www.xcover.com/en/pds/${id}`,
      coi: {
        url: `https://www.xcover.com/en/coi/${id}?security_token=${token}`,
        pdf: `https://www.xcover.com/en/coi/${id}.pdf?security_token=${token}`,
      },
      fnol_link: `https://www.xcover.com/en/claims/${id}?security_token=${token}`,
      cancel_link: `https://www.xcover.com/en/cancel/${id}?security_token=${token}`,
      quotes: quotes.map((q) => ({
        id: q.id,
        status: "CONFIRMED" as const,
        price: q.price,
        policy_start_date: today,
        can_be_cancelled: true,
        policy: {
          policy_name:
            STAND_IN_PLANS.find(
              (p) => p.productConfigId === q.product_config_id
            )?.title ?? "Protection",
        },
      })),
      policyholder: body.policyholder as Record<string, unknown>,
    }
    this.bookings.set(id, booking)
    return booking
  }

  /** Get Booking, once signature and partner are checked; `scriptNext` applies, per-offer scripts do not. */
  private getBooking(
    req: IncomingMessage,
    res: ServerResponse,
    record: ReceivedRequest,
    bookingId: string
  ): void {
    const scripted = this.nextAnswers.length
      ? (this.nextAnswers.shift() as Behaviour)
      : null
    if (scripted && this.hangOrReset(req, res, record, scripted)) {
      return
    }
    if (scripted && "bookThen" in scripted) {
      this.losing.set(res, scripted.bookThen)
    }
    if (
      scripted &&
      "status" in scripted &&
      (scripted.body !== undefined ||
        scripted.status < 200 ||
        scripted.status >= 300)
    ) {
      const errorBody =
        scripted.body ??
        (scripted.status === 204
          ? undefined
          : defaultErrorBody(scripted.status))
      return this.answer(
        res,
        record,
        scripted.status,
        errorBody,
        null,
        scripted.headers
      )
    }
    const headers =
      scripted && "status" in scripted ? scripted.headers : undefined
    const booking = this.bookings.get(bookingId)
    if (!booking) {
      return this.answer(
        res,
        record,
        404,
        { type: "api_error", message: "Booking does not exist" },
        "unknown booking",
        headers
      )
    }
    return this.answer(
      res,
      record,
      scripted && "status" in scripted ? scripted.status : 200,
      booking,
      null,
      headers
    )
  }

  /**
   * Cancel Booking, once signature and partner are checked: the body (`preview`, `quotes`,
   * `refund_required`; an empty body is `{}`), then the steps of `cancellableBooking`, then the
   * quotes named, then the preview or the cancellation.
   */
  private cancel(
    req: IncomingMessage,
    res: ServerResponse,
    record: ReceivedRequest,
    bookingId: string,
    raw: string
  ): void {
    const read = readBodyFields(req, raw, {
      allowEmpty: true,
      fields: ["preview", "quotes", "refund_required"],
    })
    const checked = read.ok ? checkCancelFields(read.body) : read
    if (!checked.ok) {
      return this.answer(
        res,
        record,
        checked.status,
        checked.body,
        checked.reason
      )
    }
    const found = this.cancellableBooking(req, res, record, bookingId)
    if (!found) {
      return
    }
    const { booking, scripted } = found
    const badQuotes = checkCancelQuotes(booking, checked.quoteIds)
    if (badQuotes) {
      return this.answer(
        res,
        record,
        badQuotes.status,
        badQuotes.body,
        badQuotes.reason,
        scripted.headers
      )
    }
    const refunds = this.refundsFor(booking)
    if (checked.preview) {
      // cancel-preview, cancel-twostep-preview: the booking as it would be; nothing changes (Get Booking still says CONFIRMED).
      const cancellation: PendingCancellation = {
        id: randomCode(3, MIXED_CODE_CHARS, "CCL"),
        bookingId,
        confirmBefore: Date.now() + this.clockOffsetMs + CANCELLATION_TTL_MS,
        refunds,
      }
      this.pendingCancellations.set(bookingId, cancellation)
      const preview: StandInCancellationPreview = {
        ...cancelledView(booking, refunds),
        cancellation_id: cancellation.id,
        confirm_before: new Date(cancellation.confirmBefore).toISOString(),
      }
      return this.answer(
        res,
        record,
        scripted.status,
        preview,
        null,
        scripted.headers
      )
    }
    // cancel-confirm-1, cancel-cleanup-2: cancelled at once.
    this.cancelBooking(booking, refunds)
    record.cancelled = true
    return this.answer(
      res,
      record,
      scripted.status,
      booking,
      null,
      scripted.headers
    )
  }

  /**
   * Confirm Cancellation, once signature and partner are checked: the body (`{}`, or empty), then
   * the steps of `cancellableBooking`, then the cancellation (guess: 404 unless it is the
   * booking's latest preview; 422 once its `confirm_before` has passed), then the cancellation
   * with the refund of the preview (cancel-twostep-confirm).
   */
  private confirmCancellation(
    req: IncomingMessage,
    res: ServerResponse,
    record: ReceivedRequest,
    bookingId: string,
    cancellationId: string,
    raw: string
  ): void {
    const checked = readBodyFields(req, raw, { allowEmpty: true, fields: [] })
    if (!checked.ok) {
      return this.answer(
        res,
        record,
        checked.status,
        checked.body,
        checked.reason
      )
    }
    const found = this.cancellableBooking(req, res, record, bookingId)
    if (!found) {
      return
    }
    const { booking, scripted } = found
    const pending = this.pendingCancellations.get(bookingId)
    if (!pending || pending.id !== cancellationId) {
      const reason = pending
        ? "not the booking's latest cancellation preview"
        : "no cancellation previewed for this booking"
      return this.answer(
        res,
        record,
        404,
        { type: "api_error", message: "Cancellation does not exist" },
        reason,
        scripted.headers
      )
    }
    if (Date.now() + this.clockOffsetMs > pending.confirmBefore) {
      const expired = refused([
        "Cancellation has expired, request a new cancellation preview",
      ])
      return this.answer(
        res,
        record,
        expired.status,
        expired.body,
        expired.reason,
        scripted.headers
      )
    }
    this.cancelBooking(booking, pending.refunds)
    record.cancelled = true
    return this.answer(
      res,
      record,
      scripted.status,
      booking,
      null,
      scripted.headers
    )
  }

  /**
   * The steps both cancel routes share after their body: scripted faults (which change nothing,
   * `bookThen` apart), then the booking (guess: 404 when unknown), refused 422 when it is
   * cancelled already (cancel-repeat). Null when answered here.
   */
  private cancellableBooking(
    req: IncomingMessage,
    res: ServerResponse,
    record: ReceivedRequest,
    bookingId: string
  ): {
    booking: StandInBooking
    scripted: { status: number; headers: Record<string, string> | undefined }
  } | null {
    const scripted = this.scriptedCancel(req, res, record)
    if (!scripted.go) {
      return null
    }
    const booking = this.bookings.get(bookingId)
    if (!booking) {
      this.answer(
        res,
        record,
        404,
        { type: "api_error", message: "Booking does not exist" },
        "unknown booking",
        scripted.headers
      )
      return null
    }
    if (booking.status === "CANCELLED") {
      const again = refused([ALREADY_CANCELLED])
      this.answer(
        res,
        record,
        again.status,
        again.body,
        "booking already cancelled",
        scripted.headers
      )
      return null
    }
    return { booking, scripted }
  }

  /**
   * The scripted behaviour of a cancel route (`scriptNext`, then the booking's offer's script):
   * a fault is answered here (`go: false`); else the status and headers of the usual answer, and
   * for `bookThen` the answer is marked to be lost.
   */
  private scriptedCancel(
    req: IncomingMessage,
    res: ServerResponse,
    record: ReceivedRequest
  ):
    | { go: false }
    | {
        go: true
        status: number
        headers: Record<string, string> | undefined
      } {
    const queue = this.nextAnswers.length
      ? this.nextAnswers
      : record.offerId !== null
        ? this.scripts.get(record.offerId)
        : undefined
    const scripted = queue?.length ? (queue.shift() as Behaviour) : null
    if (scripted && this.hangOrReset(req, res, record, scripted)) {
      return { go: false }
    }
    if (scripted && "bookThen" in scripted) {
      this.losing.set(res, scripted.bookThen)
    }
    if (
      scripted &&
      "status" in scripted &&
      (scripted.body !== undefined ||
        scripted.status < 200 ||
        scripted.status >= 300)
    ) {
      const errorBody =
        scripted.body ??
        (scripted.status === 204
          ? undefined
          : defaultErrorBody(scripted.status))
      this.answer(
        res,
        record,
        scripted.status,
        errorBody,
        null,
        scripted.headers
      )
      return { go: false }
    }
    return scripted && "status" in scripted
      ? { go: true, status: scripted.status, headers: scripted.headers }
      : { go: true, status: 200, headers: undefined }
  }

  /** Each quote's refund under the current `setRefundRatio`. */
  private refundsFor(booking: StandInBooking): QuoteRefund[] {
    return booking.quotes.map((q) => {
      const refund =
        this.refundRatio === null ? q.price : round2(q.price * this.refundRatio)
      return {
        id: q.id,
        refund_value: refund,
        adjustment_fee: round2(q.price - refund),
      }
    })
  }

  /**
   * Makes the stored booking what the cancellation answers, in place, with these refunds
   * (cancel-confirm-1: CANCELLED, totals 0, the refund, `cancellation_id` and `confirm_before`
   * null); drops its pending preview. Guess: Get Booking (and a webhook's payload) shows it so
   * from then on, as XCover's booking answers share one form; no capture reads a booking back
   * after a cancellation.
   */
  private cancelBooking(booking: StandInBooking, refunds: QuoteRefund[]): void {
    Object.assign(booking, cancelledView(booking, refunds), {
      cancellation_id: null,
      confirm_before: null,
    })
    this.pendingCancellations.delete(booking.id)
  }

  private matchRoute(
    method: string,
    url: string
  ):
    | { ok: true; route: "opt_out"; partnerCode: string; offerId: string }
    | { ok: true; route: "create_offer"; partnerCode: string; offerId: null }
    | { ok: true; route: "confirm"; partnerCode: string; offerId: string }
    | {
        ok: true
        route: "get_booking"
        partnerCode: string
        offerId: null
        bookingId: string
      }
    | {
        ok: true
        route: "cancel"
        partnerCode: string
        offerId: null
        bookingId: string
      }
    | {
        ok: true
        route: "confirm_cancellation"
        partnerCode: string
        offerId: null
        bookingId: string
        cancellationId: string
      }
    | { ok: false; status: number; reason: string } {
    const prefix = this.prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    const q = url.indexOf("?")
    const path = q < 0 ? url : url.slice(0, q)
    const booking = new RegExp(
      `^${prefix}/partners/([^/]+)/bookings/([^/]+)(/?)$`
    ).exec(path)
    if (booking && method === "GET") {
      if (!booking[3]) {
        return {
          ok: false,
          status: 404,
          reason: "no such path (the trailing slash is required)",
        }
      }
      // Get Booking: the one path read with GET.
      if (q >= 0) {
        return { ok: false, status: 404, reason: "unexpected query string" }
      }
      return {
        ok: true,
        route: "get_booking",
        partnerCode: decodeURIComponent(booking[1]),
        offerId: null,
        bookingId: decodeURIComponent(booking[2]),
      }
    }
    if (method !== "POST") {
      return { ok: false, status: 405, reason: `method ${method} not allowed` }
    }
    const create = new RegExp(`^${prefix}/partners/([^/]+)/offers/$`).exec(path)
    if (create) {
      // The one path that takes a query string: none (market-*), `include_content=true`, and
      // `extra_fields=...` beside it (extra-fields-test). Guess: any other query is a 404.
      const query = new URLSearchParams(q < 0 ? "" : url.slice(q + 1))
      const keys = [...query.keys()]
      const known =
        keys.every((k) => k === "include_content" || k === "extra_fields") &&
        new Set(keys).size === keys.length
      if (
        !known ||
        (query.has("include_content") &&
          query.get("include_content") !== "true")
      ) {
        return {
          ok: false,
          status: 404,
          reason:
            "create offer takes no query but include_content=true and extra_fields",
        }
      }
      return {
        ok: true,
        route: "create_offer",
        partnerCode: decodeURIComponent(create[1]),
        offerId: null,
      }
    }
    if (q >= 0) {
      return { ok: false, status: 404, reason: "unexpected query string" }
    }
    // Cancel Booking is documented without the trailing slash; XCover's router takes both.
    const cancel = new RegExp(
      `^${prefix}/partners/([^/]+)/bookings/([^/]+)/cancel/?$`
    ).exec(path)
    if (cancel) {
      return {
        ok: true,
        route: "cancel",
        partnerCode: decodeURIComponent(cancel[1]),
        offerId: null,
        bookingId: decodeURIComponent(cancel[2]),
      }
    }
    const confirmCancellation = new RegExp(
      `^${prefix}/partners/([^/]+)/bookings/([^/]+)/confirm_cancellation/([^/]+)/$`
    ).exec(path)
    if (confirmCancellation) {
      return {
        ok: true,
        route: "confirm_cancellation",
        partnerCode: decodeURIComponent(confirmCancellation[1]),
        offerId: null,
        bookingId: decodeURIComponent(confirmCancellation[2]),
        cancellationId: decodeURIComponent(confirmCancellation[3]),
      }
    }
    const m = new RegExp(
      `^${prefix}/partners/([^/]+)/offers/([^/]+)/(opt_out|confirm)/$`
    ).exec(url)
    if (!m) {
      return {
        ok: false,
        status: 404,
        reason: "no such path (the trailing slash is required)",
      }
    }
    const partnerCode = decodeURIComponent(m[1])
    const offerId = decodeURIComponent(m[2])
    return m[3] === "confirm"
      ? { ok: true, route: "confirm", partnerCode, offerId }
      : { ok: true, route: "opt_out", partnerCode, offerId }
  }

  /** Null when the request is correctly signed, else why not. */
  private checkSignature(
    req: IncomingMessage,
    record: ReceivedRequest
  ): string | null {
    const date = header(req, "date")
    if (!date || !DATE_RE.test(date)) {
      return "Date header missing or not in RFC 7231 GMT form"
    }
    const skew = Math.abs(Date.now() + this.clockOffsetMs - Date.parse(date))
    if (!(skew <= (this.options.maxSkewMs ?? 5 * 60_000))) {
      return `Date is ${Math.round(skew / 1000)} s off`
    }
    const apiKey = header(req, "x-api-key")
    const secret = [this.options, ...(this.options.extraKeys ?? [])].find(
      (k) => k.apiKey === apiKey
    )?.apiSecret
    if (!apiKey || secret === undefined) {
      return "X-Api-Key unknown"
    }
    const authorization = header(req, "authorization") ?? ""
    const m = /^Signature (.+)$/.exec(authorization)
    if (!m) {
      return "Authorization is not a Signature"
    }
    const params = new Map<string, string>()
    for (const part of m[1].split(",")) {
      const p = /^([a-zA-Z]+)="([^"]*)"$/.exec(part)
      if (!p) {
        return `malformed Authorization parameter ${JSON.stringify(part)}`
      }
      params.set(p[1], p[2])
    }
    const algorithm = params.get("algorithm") ?? ""
    const signedHeaders = params.get("headers") ?? "date"
    record.algorithm = algorithm
    record.signedHeaders = signedHeaders
    if (params.get("keyId") !== apiKey) {
      return "keyId does not match X-Api-Key"
    }
    const digest = DIGESTS[algorithm]
    if (!digest) {
      return `algorithm ${algorithm} not accepted`
    }
    const lines: string[] = []
    for (const name of signedHeaders.split(" ")) {
      if (name === "(request-target)") {
        lines.push(
          `(request-target): ${(req.method ?? "").toLowerCase()} ${(req.url ?? "").split("?")[0]}`
        )
      } else if (name === "date") {
        lines.push(`date: ${date}`)
      } else {
        return `cannot sign header ${name}`
      }
    }
    const expected = encodeURIComponent(
      createHmac(digest, secret).update(lines.join("\n")).digest("base64")
    )
    const given = params.get("signature") ?? ""
    const a = Buffer.from(expected)
    const b = Buffer.from(given)
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      return "signature mismatch"
    }
    return null
  }

  private answer(
    res: ServerResponse,
    record: ReceivedRequest,
    status: number,
    body: unknown,
    reason: string | null,
    headers: Record<string, string> = {}
  ): void {
    const lost = this.losing.get(res)
    if (lost) {
      record.reason = `answered ${status}${reason ? ` (${reason})` : ""}, answer lost (bookThen)`
      this.hangOrReset(
        res.req,
        res,
        record,
        lost === "hang" ? { hang: true } : { reset: true }
      )
      return
    }
    record.answer = status
    record.reason = reason
    headers = {
      date: new Date(Date.now() + this.clockOffsetMs).toUTCString(),
      ...headers,
    }
    if (status === 204 || body === undefined) {
      res.writeHead(status, headers).end()
      return
    }
    res
      .writeHead(status, { "content-type": "application/json", ...headers })
      .end(JSON.stringify(body))
  }
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : (v ?? null)
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", () => resolve(""))
  })
}

function parseJson(body: string): unknown {
  if (!body) {
    return null
  }
  try {
    return JSON.parse(body)
  } catch {
    return null
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v)
}

/** XCover's JSON error body: `type` and `message`, and for a refusal its reasons in `errors`. */
export type StandInErrorBody = {
  type: string
  message: string
  code?: string
  error_id?: string
  errors?: string[] | Record<string, unknown>
}

/** A request the stand-in refuses: the status, XCover's body, and the reason `received` keeps. */
type Refused = {
  ok: false
  status: number
  body: StandInErrorBody
  reason: string
}

/**
 * XCover's `message` of a 422 refusal; what happened is in `errors` (captured: confirm-repeat,
 * cancel-repeat, err-empty-body).
 */
const API_ERROR_MESSAGE = "An API error occurred."

/**
 * A 422 `validation_error` in XCover's shape: the reasons as an array of strings (confirm-repeat,
 * cancel-repeat) or as an object of field → messages (err-empty-body: `non_field_errors`).
 */
function refused(errors: string[] | Record<string, string[]>): Refused {
  const reason = Array.isArray(errors)
    ? errors[0]
    : Object.entries(errors).map(
        ([field, messages]) => `${field}: ${messages[0]}`
      )[0]
  return {
    ok: false,
    status: 422,
    body: { type: "validation_error", message: API_ERROR_MESSAGE, errors },
    reason,
  }
}

/** Cancelling a cancelled booking, on either cancel route (cancel-repeat). */
const ALREADY_CANCELLED =
  "Status change not allowed for QuotePackage in status CANCELLED"

type CreateOfferBody = {
  customer: { currency: string; language: string; country: string }
  context: Record<string, unknown> & { product?: unknown }
  partner: Record<string, unknown>
  request?: unknown
}

type ConfirmBody = {
  quotes?: unknown
  policyholder?: unknown
  partner_transaction_id?: unknown
}

/**
 * A request body as a JSON object. Malformed JSON is refused 400 `validation_error` with
 * "JSON parse error - <detail>" (err-malformed). Guesses, each a 422 in XCover's shape: an empty
 * body (unless `allowEmpty`, which takes it as `{}`), a Content-Type other than JSON, JSON that
 * is not an object, and with `fields` any other top-level field.
 */
function readBodyFields(
  req: IncomingMessage,
  raw: string,
  opts: { allowEmpty?: boolean; fields?: string[] }
): { ok: true; body: Record<string, unknown> } | Refused {
  if (!raw) {
    return opts.allowEmpty
      ? { ok: true, body: {} }
      : refused({ non_field_errors: ["A JSON body is required."] })
  }
  if (!(header(req, "content-type") ?? "").startsWith("application/json")) {
    return refused({
      non_field_errors: ["Content-Type must be application/json."],
    })
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch (e) {
    const message = `JSON parse error - ${e instanceof Error ? e.message : String(e)}`
    return {
      ok: false,
      status: 400,
      body: { type: "validation_error", message },
      reason: message,
    }
  }
  if (!isObject(parsed)) {
    return refused({
      non_field_errors: [`${JSON.stringify(parsed)} is not of type 'object'`],
    })
  }
  const unknown = opts.fields
    ? Object.keys(parsed).filter((k) => !opts.fields?.includes(k))
    : []
  return unknown.length
    ? refused(Object.fromEntries(unknown.map((k) => [k, ["Unknown field."]])))
    : { ok: true, body: parsed }
}

/**
 * Create Offer's body as XCover's schema checks it: `customer`, `partner` and `context` are
 * required objects, each one missing named in `non_field_errors` (err-empty-body; `partner: {}`
 * is fine: market-*). Not checked: the country and currency values (err-bad-country `XX` and
 * err-bad-currency `JPY` were quoted), nor what `context` holds beyond the product's price and
 * quantity (`sku`, `category`: sku-category-test). Guess: `customer`'s currency, language and
 * country must be strings, refused with messages of the same form.
 */
function checkCreateOfferFields(
  body: Record<string, unknown>
): { ok: true; body: CreateOfferBody } | Refused {
  const problems: string[] = []
  const check = (
    holder: Record<string, unknown>,
    field: string,
    type: "object" | "string"
  ) => {
    const v = holder[field]
    if (v === undefined) {
      problems.push(`'${field}' is a required property`)
    } else if (type === "object" ? !isObject(v) : typeof v !== "string") {
      problems.push(`${JSON.stringify(v)} is not of type '${type}'`)
    }
  }
  for (const field of ["customer", "partner", "context"]) {
    check(body, field, "object")
  }
  if (isObject(body.customer)) {
    for (const field of ["currency", "language", "country"]) {
      check(body.customer, field, "string")
    }
  }
  return problems.length
    ? refused({ non_field_errors: problems })
    : { ok: true, body: body as CreateOfferBody }
}

/**
 * Create Offer's refusal when no quote can be priced (err-missing-field): 422 with
 * `code: offer_quote_generation_failed`, an `error_id`, and in `errors` one `{ message, type }`
 * per quote it tried (by index) beside `metadata`.
 */
function quoteGenerationFailed(
  reason: string,
  quotes: number
): StandInErrorBody {
  const errors: Record<string, unknown> = {}
  for (let i = 0; i < Math.max(1, quotes); i++) {
    errors[String(i)] = { message: reason, type: "quote_creation_failure" }
  }
  errors.metadata = { selected_offer_id: randomUUID() }
  return {
    type: "validation_error",
    message: "Offer could not be created due to quote generation errors",
    error_id: randomUUID(),
    code: "offer_quote_generation_failed",
    errors,
  }
}

/**
 * Cancel Booking's body, as the captured requests send it: `preview` (cancel-preview), `quotes`
 * of `{ id, reason_for_cancellation? }` and `refund_required` (cancel-confirm-1). `refund_required:
 * false` still answers the refund (cancel-confirm-1), so the stand-in ignores it. Guess: other
 * fields and values of the wrong type are refused 422 by field.
 */
function checkCancelFields(
  body: Record<string, unknown>
): { ok: true; preview: boolean; quoteIds: string[] | null } | Refused {
  const errors: Record<string, string[]> = {}
  for (const field of ["preview", "refund_required"]) {
    if (body[field] !== undefined && typeof body[field] !== "boolean") {
      errors[field] = ["Must be a valid boolean."]
    }
  }
  let quoteIds: string[] | null = null
  if (body.quotes !== undefined) {
    if (!Array.isArray(body.quotes)) {
      errors.quotes = ["Expected a list of items."]
    } else {
      quoteIds = []
      body.quotes.forEach((q: unknown, i: number) => {
        const quote = isObject(q) ? q : {}
        if (typeof quote.id !== "string" || !quote.id) {
          errors[`quotes[${i}].id`] = ["This field is required."]
        } else {
          quoteIds?.push(quote.id)
        }
        if (
          quote.reason_for_cancellation !== undefined &&
          typeof quote.reason_for_cancellation !== "string"
        ) {
          errors[`quotes[${i}].reason_for_cancellation`] = [
            "Not a valid string.",
          ]
        }
      })
    }
  }
  return Object.keys(errors).length
    ? refused(errors)
    : { ok: true, preview: body.preview === true, quoteIds }
}

/**
 * Guess: the quotes a cancel names must be the booking's, each once, and all of them (the
 * stand-in does not model a partial cancellation; no capture has one). Null when they are, or
 * none are named (the whole booking).
 */
function checkCancelQuotes(
  booking: StandInBooking,
  quoteIds: string[] | null
): Refused | null {
  if (quoteIds === null) {
    return null
  }
  const unknown = quoteIds.filter(
    (id) => !booking.quotes.some((q) => q.id === id)
  )
  if (unknown.length) {
    return refused({
      quotes: unknown.map(
        (id) => `Quote ${id} is not part of booking ${booking.id}.`
      ),
    })
  }
  if (new Set(quoteIds).size !== quoteIds.length) {
    return refused({ quotes: ["A quote is given more than once."] })
  }
  if (quoteIds.length !== booking.quotes.length) {
    return refused({
      quotes: [
        "The stand-in cancels whole bookings only: name every quote of the booking, or none.",
      ],
    })
  }
  return null
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}

type QuoteRefund = { id: string; refund_value: number; adjustment_fee: number }

/**
 * The booking as a cancellation answers it, a copy (cancel-preview, cancel-confirm-1): CANCELLED,
 * each quote CANCELLED with its `refund_value` and `adjustment_fee` (a quote without a refund
 * given is refunded in full) and its `price` kept, the booking's `total_price`, `total_premium`
 * and `total_tax` 0, the refund as `total_refund` and `refund_amount`.
 */
function cancelledView(
  booking: StandInBooking,
  refunds: QuoteRefund[]
): StandInBooking & {
  status: "CANCELLED"
  total_refund: number
  refund_amount: number
} {
  const quotes = structuredClone(booking.quotes).map((q) => {
    const refund = refunds.find((r) => r.id === q.id) ?? {
      refund_value: q.price,
      adjustment_fee: 0,
    }
    return {
      ...q,
      status: "CANCELLED" as const,
      refund_value: refund.refund_value,
      adjustment_fee: refund.adjustment_fee,
    }
  })
  const totalRefund = round2(quotes.reduce((sum, q) => sum + q.refund_value, 0))
  return {
    ...structuredClone(booking),
    status: "CANCELLED",
    total_price: 0,
    total_premium: 0,
    total_tax: 0,
    quotes,
    total_refund: totalRefund,
    refund_amount: totalRefund,
  }
}

/** The signature with one base64 character changed (percent-escapes left whole). */
function tamperWith(signature: string): string {
  for (let i = 0; i < signature.length; i++) {
    if (signature[i] === "%") {
      i += 2
      continue
    }
    return (
      signature.slice(0, i) +
      (signature[i] === "A" ? "B" : "A") +
      signature.slice(i + 1)
    )
  }
  return `${signature}A`
}

const UPPER_CODE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
const MIXED_CODE_CHARS =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

/** Groups of 5 random characters joined by `-`, then the suffix: `ABCDE-FGHIJ-INS`. */
function randomCode(groups: number, chars: string, suffix: string): string {
  const group = () =>
    Array.from({ length: 5 }, () => chars[randomInt(chars.length)]).join("")
  return [...Array.from({ length: groups }, group), suffix].join("-")
}

/** `Intl` currency formatting for the customer's locale, `en-US` when that locale is not valid. */
function currencyFormatter(
  locale: string,
  currency: string
): (amount: number) => string {
  for (const l of [locale, "en-US"]) {
    try {
      const f = new Intl.NumberFormat(l, { style: "currency", currency })
      return (amount) => f.format(amount)
    } catch {
      // try the next one
    }
  }
  return (amount) => `${currency} ${amount.toFixed(2)}`
}

/** The body of a scripted answer given without one. */
function defaultErrorBody(status: number): StandInErrorBody {
  switch (status) {
    case 403:
      // err-bad-signature.
      return {
        type: "auth_error",
        message: "You do not have permission to access this url",
      }
    case 404:
      // err-invalid-offer-id.
      return { type: "api_error", message: "Quote package does not exist" }
    case 422:
      // XCover's shape (confirm-repeat, cancel-repeat); the reason itself is a guess.
      return {
        type: "validation_error",
        message: API_ERROR_MESSAGE,
        errors: ["Invalid input"],
      }
    case 429:
      // Guess: no capture of a 429 body (shared/xcover-api.md quotes this message).
      return {
        type: "throttled",
        message: "Request was throttled. Expected available in 1 second.",
      }
    default:
      // Guess: 423 and 5xx bodies were never captured.
      return { type: "api_error", message: `stand-in answered ${status}` }
  }
}
