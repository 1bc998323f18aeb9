import { randomUUID } from "node:crypto"
import type { Logger } from "@medusajs/framework/types"
import { Pool, errors as undiciErrors } from "undici"
import type {
  XcoverCredentials,
  SignatureAlgorithm,
  SignedHeaders,
} from "../options"
import { isValidXcoverId } from "../xcover-id"
import {
  describeOutcome,
  networkOutcome,
  responseOutcome,
  type XcoverOutcome,
} from "./outcome"
import { createSigner } from "./sign"
import type { OfferRequest } from "./create-offer"

/** Everything one call needs to be addressed and signed; read fresh for every call. */
export type XcoverCallSettings = XcoverCredentials & {
  baseUrl: string
  signatureAlgorithm: SignatureAlgorithm
  signedHeaders: SignedHeaders
}

export type XcoverClientOptions = {
  timeoutMs: number
  /** Keep-alive connections per XCover origin. */
  connections?: number
}

/** An answer: how the call went and, for a 2xx the caller reads or any error, the parsed JSON body. */
export type XcoverAnswer = { outcome: XcoverOutcome; body: unknown }

/** One call below `{baseUrl}/partners/{partner_code}`; `path` starts with `/`, ids already encoded. */
type PartnerCall = {
  settings: XcoverCallSettings
  method?: "POST" | "GET"
  path: string
  query?: string
  body?: unknown
  idempotencyKey?: string
  /** Parse the body of a 2xx (Create Offer, Confirm); an opt-out's 204 is dropped unread. */
  readBody?: boolean
}

/** A Cancel Booking body: a preview or not, and the booking's quotes with the reason for each. */
export type CancelRequest = {
  preview: boolean
  quotes: { id: string; reason_for_cancellation: string }[]
}

export type OptOutRequest = {
  settings: XcoverCallSettings
  offerId: string
  idempotencyKey: string
}

/** What a call did, for logging: never headers, never secrets. */
export type XcoverCallLog = {
  method: string
  path: string
  outcome: XcoverOutcome
  durationMs: number
}

/** One line per call: info when done, a warning otherwise. */
function logCall(logger: Pick<Logger, "info" | "warn">, log: XcoverCallLog) {
  const line = `xcover: ${log.method} ${log.path} -> ${describeOutcome(log.outcome)} [${log.outcome.kind}] in ${log.durationMs} ms`
  if (log.outcome.kind === "done") {
    logger.info(line)
  } else {
    logger.warn(line)
  }
}

/**
 * The one funnel for XCover HTTP calls: builds the URL (ids percent-encoded), signs every
 * request freshly, sends it over a keep-alive pool with a timeout, and classifies the outcome.
 * It never throws for an upstream problem: every failure comes back as an `XcoverOutcome`.
 * Pacing is not its business: the dispatcher sends only at slots of the account's shared budget.
 */
export class XcoverClient {
  private readonly endpoints = new Map<
    string,
    { pool: Pool; basePath: string }
  >()
  private readonly sign = createSigner()
  private lastServerDate: { text: string | undefined; ms: number | null } = {
    text: undefined,
    ms: null,
  }

  constructor(
    private readonly options: XcoverClientOptions,
    /** Where each call's line goes (none: calls are not logged, as in benchmarks). */
    private readonly logger?: Pick<Logger, "info" | "warn">
  ) {}

  /** Opt-out (`POST offers/{offer_id}/opt_out/`): 204 and no body; an error or a 409's body is read. */
  optOut(request: OptOutRequest): Promise<XcoverAnswer> {
    if (!isValidXcoverId(request.offerId)) {
      // Callers validate earlier; this guard keeps a bad id from ever shaping a URL.
      return Promise.resolve({ outcome: invalidId("offer"), body: null })
    }
    const path = `/offers/${encodeURIComponent(request.offerId)}/opt_out/`
    return this.call({
      settings: request.settings,
      path,
      body: {},
      idempotencyKey: request.idempotencyKey,
    })
  }

  /**
   * Create Offer (`POST offers/?include_content=true`): XCover prices the context and answers an
   * offer with its quotes and display copy. `body` is the parsed JSON answer of a 2xx.
   */
  createOffer(
    settings: XcoverCallSettings,
    request: OfferRequest
  ): Promise<XcoverAnswer> {
    return this.call({
      settings,
      path: "/offers/",
      query: "include_content=true",
      body: request,
      readBody: true,
    })
  }

  /**
   * Confirm Offer (`POST offers/{offer_id}/confirm/`): books the taken quotes. The same key on
   * every try: a repeat of a processed key answers 409 with the same booking.
   */
  confirmOffer(
    settings: XcoverCallSettings,
    offerId: string,
    request: Record<string, unknown>,
    idempotencyKey: string
  ): Promise<XcoverAnswer> {
    if (!isValidXcoverId(offerId)) {
      return Promise.resolve({ outcome: invalidId("offer"), body: null })
    }
    const path = `/offers/${encodeURIComponent(offerId)}/confirm/`
    return this.call({
      settings,
      path,
      body: request,
      idempotencyKey,
      readBody: true,
    })
  }

  /** Get Booking (`GET bookings/{booking_id}/`). */
  getBooking(
    settings: XcoverCallSettings,
    bookingId: string
  ): Promise<XcoverAnswer> {
    if (!isValidXcoverId(bookingId)) {
      return Promise.resolve({ outcome: invalidId("booking"), body: null })
    }
    return this.call({
      settings,
      method: "GET",
      path: `/bookings/${encodeURIComponent(bookingId)}/`,
      readBody: true,
    })
  }

  /**
   * Cancel Booking (`POST bookings/{id}/cancel`, no trailing slash as documented): with
   * `preview` XCover only computes the refund and a `cancellation_id`; without, it cancels at once.
   * The quotes to cancel go with it, each with its reason, as the captured requests send them
   * (cancel-preview: `{ preview, quotes: [{ id }] }`; cancel-confirm-1: `quotes: [{ id, reason_for_cancellation }]`).
   */
  cancelBooking(
    settings: XcoverCallSettings,
    bookingId: string,
    request: CancelRequest
  ): Promise<XcoverAnswer> {
    if (!isValidXcoverId(bookingId)) {
      return Promise.resolve({ outcome: invalidId("booking"), body: null })
    }
    const body = {
      ...(request.preview ? { preview: true } : {}),
      ...(request.quotes.length ? { quotes: request.quotes } : {}),
    }
    return this.call({
      settings,
      path: `/bookings/${encodeURIComponent(bookingId)}/cancel`,
      body,
      readBody: true,
    })
  }

  /** Confirms a previewed cancellation (irreversible). */
  confirmCancellation(
    settings: XcoverCallSettings,
    bookingId: string,
    cancellationId: string
  ): Promise<XcoverAnswer> {
    if (!isValidXcoverId(bookingId) || !isValidXcoverId(cancellationId)) {
      return Promise.resolve({ outcome: invalidId("booking"), body: null })
    }
    const path = `/bookings/${encodeURIComponent(bookingId)}/confirm_cancellation/${encodeURIComponent(cancellationId)}/`
    return this.call({ settings, path, body: {}, readBody: true })
  }

  /**
   * Opts out an offer id that cannot exist: 404 proves the credentials are accepted, 403 that
   * they are not. Callers take a slot of the rate budget first, as for any call.
   */
  async probe(settings: XcoverCallSettings): Promise<XcoverOutcome> {
    const answer = await this.optOut({
      settings,
      offerId: `connection-test-${randomUUID()}`,
      idempotencyKey: randomUUID(),
    })
    return answer.outcome
  }

  async close(): Promise<void> {
    const pools = new Set([...this.endpoints.values()].map((e) => e.pool))
    this.endpoints.clear()
    await Promise.all(
      [...pools].map((pool) => pool.close().catch(() => undefined))
    )
  }

  /**
   * One signed request under `{baseUrl}/partners/{partner_code}`. The body of a 2xx is parsed
   * only when the caller needs it; an error body is always read for XCover's type and message.
   */
  private async call(request: PartnerCall): Promise<XcoverAnswer> {
    const { settings } = request
    const endpoint = this.endpoint(settings.baseUrl)
    const path = `${endpoint.basePath}/partners/${encodeURIComponent(settings.partnerCode)}${request.path}`
    const method = request.method ?? "POST"
    const started = Date.now()
    // Signed here, not earlier, so the Date is the moment of sending. The signed target is the
    // path without its query string.
    const signed = this.sign({
      apiKey: settings.apiKey,
      apiSecret: settings.apiSecret,
      algorithm: settings.signatureAlgorithm,
      signedHeaders: settings.signedHeaders,
      method,
      path,
      now: new Date(started),
    })
    let outcome: XcoverOutcome
    let body: unknown = null
    try {
      // One deadline for the whole call (connecting, the headers, the body): a slow answer that
      // trickles in never outlasts the send's lease (timeout + 5 s), so no other process sends
      // the same operation meanwhile. undici also bounds each phase (set on the pool).
      const signal = AbortSignal.timeout(this.options.timeoutMs)
      const headers: Record<string, string> = {
        date: signed.date,
        "x-api-key": signed["x-api-key"],
        authorization: signed.authorization,
        accept: "application/json",
      }
      if (request.idempotencyKey) {
        headers["x-idempotency-key"] = request.idempotencyKey
      }
      if (request.body !== undefined) {
        headers["content-type"] = "application/json"
      }
      const res = await endpoint.pool.request({
        method,
        path: request.query ? `${path}?${request.query}` : path,
        headers,
        body:
          request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
      })
      const { statusCode } = res
      let text = ""
      if (statusCode >= 200 && statusCode < 300 && !request.readBody) {
        // An opt-out's 204 says all there is to know: whatever came is dropped, never parsed.
        await res.body.dump()
      } else {
        text = await res.body.text()
      }
      outcome = responseOutcome(
        statusCode,
        text,
        firstHeader(res.headers["retry-after"])
      )
      outcome.clockSkewMs = this.clockSkew(firstHeader(res.headers.date))
      body = parseJson(text)
    } catch (err) {
      outcome = errorOutcome(err, this.options.timeoutMs)
    }
    if (this.logger) {
      logCall(this.logger, {
        method,
        path,
        outcome,
        durationMs: Date.now() - started,
      })
    }
    return { outcome, body }
  }

  /** XCover's Date header minus the local clock; the header is parsed once per second it names. */
  private clockSkew(dateHeader: string | undefined): number | null {
    if (dateHeader !== this.lastServerDate.text) {
      const ms = Date.parse(dateHeader ?? "")
      this.lastServerDate = {
        text: dateHeader,
        ms: Number.isNaN(ms) ? null : ms,
      }
    }
    const { ms } = this.lastServerDate
    return ms === null ? null : ms - Date.now()
  }

  /** The keep-alive pool of a base URL's origin, and its path prefix; made once per base URL. */
  private endpoint(baseUrl: string): { pool: Pool; basePath: string } {
    let endpoint = this.endpoints.get(baseUrl)
    if (!endpoint) {
      const url = new URL(baseUrl)
      const samePool = [...this.endpoints.entries()].find(
        ([other]) => new URL(other).origin === url.origin
      )
      const pool =
        samePool?.[1].pool ??
        new Pool(url.origin, {
          connections: this.options.connections ?? 16,
          keepAliveTimeout: 30_000,
          connectTimeout: this.options.timeoutMs,
          headersTimeout: this.options.timeoutMs,
          bodyTimeout: this.options.timeoutMs,
        })
      endpoint = { pool, basePath: basePath(baseUrl) }
      this.endpoints.set(baseUrl, endpoint)
    }
    return endpoint
  }
}

function invalidId(what: "offer" | "booking"): XcoverOutcome {
  return {
    kind: "rejected",
    status: null,
    type: `invalid_${what}_id`,
    message: `${what} id has characters XCover ids never have`,
    retryAfterMs: null,
  }
}

function parseJson(text: string): unknown {
  if (!text) {
    return null
  }
  try {
    return JSON.parse(text) as unknown
  } catch {
    return null
  }
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/** Path prefix of the base URL without a trailing slash (`https://api.xcover.com/x` gives `/x`). */
export function basePath(baseUrl: string): string {
  return new URL(baseUrl).pathname.replace(/\/+$/, "")
}

function errorOutcome(err: unknown, timeoutMs: number): XcoverOutcome {
  // Duck-typed: the AbortSignal's DOMException may come from another realm (jest, vm).
  const { name, code, message } = (err ?? {}) as {
    name?: unknown
    code?: unknown
    message?: unknown
  }
  const timedOut =
    err instanceof undiciErrors.HeadersTimeoutError ||
    err instanceof undiciErrors.BodyTimeoutError ||
    err instanceof undiciErrors.ConnectTimeoutError ||
    name === "TimeoutError" ||
    name === "AbortError"
  if (timedOut) {
    return networkOutcome("timeout", `no answer within ${timeoutMs} ms`)
  }
  const text = typeof message === "string" ? message : String(err)
  return networkOutcome(
    "network_error",
    typeof code === "string" ? `${code}: ${text}` : text
  )
}
