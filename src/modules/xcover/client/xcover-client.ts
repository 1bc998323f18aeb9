import { randomUUID } from "node:crypto"
import { Pool, errors as undiciErrors } from "undici"
import type { XcoverCredentials, SignatureAlgorithm, SignedHeaders } from "../options"
import { isValidOfferId } from "../offer-id"
import { networkOutcome, responseOutcome, type XcoverOutcome } from "./outcome"
import { createSigner } from "./sign"

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

/**
 * The one funnel for XCover HTTP calls: builds the URL (ids percent-encoded), signs every
 * request freshly, sends it over a keep-alive pool with a timeout, and classifies the outcome.
 * It never throws for an upstream problem: every failure comes back as an `XcoverOutcome`.
 * Pacing is not its business: the dispatcher sends only at slots of the account's shared budget.
 */
export class XcoverClient {
  private readonly endpoints = new Map<string, { pool: Pool; basePath: string }>()
  private readonly sign = createSigner()
  private lastServerDate: { text: string | undefined; ms: number | null } = { text: undefined, ms: null }

  constructor(
    private readonly options: XcoverClientOptions,
    private readonly onCall?: (log: XcoverCallLog) => void
  ) {}

  optOut(request: OptOutRequest): Promise<XcoverOutcome> {
    if (!isValidOfferId(request.offerId)) {
      // Callers validate earlier; this guard keeps a bad id from ever shaping a URL.
      return Promise.resolve({ kind: "rejected", status: null, type: "invalid_offer_id", message: "offer id has characters XCover ids never have", retryAfterMs: null })
    }
    const { settings } = request
    const endpoint = this.endpoint(settings.baseUrl)
    const path = `${endpoint.basePath}/partners/${encodeURIComponent(settings.partnerCode)}/offers/${encodeURIComponent(request.offerId)}/opt_out/`
    return this.send(endpoint.pool, settings, path, request.idempotencyKey)
  }

  /**
   * Opts out an offer id that cannot exist: 404 proves the credentials are accepted, 403 that
   * they are not. Callers take a slot of the rate budget first, as for any call.
   */
  async probe(settings: XcoverCallSettings): Promise<XcoverOutcome> {
    return this.optOut({ settings, offerId: `connection-test-${randomUUID()}`, idempotencyKey: randomUUID() })
  }

  async close(): Promise<void> {
    const pools = new Set([...this.endpoints.values()].map((e) => e.pool))
    this.endpoints.clear()
    await Promise.all([...pools].map((pool) => pool.close().catch(() => undefined)))
  }

  /** One signed POST with an empty JSON object as body (the only request XCover gets from here). */
  private async send(pool: Pool, settings: XcoverCallSettings, path: string, idempotencyKey: string): Promise<XcoverOutcome> {
    const started = Date.now()
    // Signed here, not earlier, so the Date is the moment of sending.
    const signed = this.sign({
      apiKey: settings.apiKey,
      apiSecret: settings.apiSecret,
      algorithm: settings.signatureAlgorithm,
      signedHeaders: settings.signedHeaders,
      method: "POST",
      path,
      now: new Date(started),
    })
    let outcome: XcoverOutcome
    try {
      // undici bounds each phase with the timeout (set on the pool): connecting, waiting for the
      // answer, reading it.
      const res = await pool.request({
        method: "POST",
        path,
        headers: {
          date: signed.date,
          "x-api-key": signed["x-api-key"],
          authorization: signed.authorization,
          "x-idempotency-key": idempotencyKey,
          "content-type": "application/json",
          accept: "application/json",
        },
        body: "{}",
      })
      const { statusCode } = res
      // A 2xx says all there is to know: its body is read and dropped, never parsed.
      let text = ""
      if (statusCode >= 200 && statusCode < 300) {
        await res.body.dump()
      } else {
        text = await res.body.text()
      }
      outcome = responseOutcome(statusCode, text, firstHeader(res.headers["retry-after"]))
      outcome.clockSkewMs = this.clockSkew(firstHeader(res.headers.date))
    } catch (err) {
      outcome = errorOutcome(err, this.options.timeoutMs)
    }
    this.onCall?.({ method: "POST", path, outcome, durationMs: Date.now() - started })
    return outcome
  }

  /** XCover's Date header minus the local clock; the header is parsed once per second it names. */
  private clockSkew(dateHeader: string | undefined): number | null {
    if (dateHeader !== this.lastServerDate.text) {
      const ms = Date.parse(dateHeader ?? "")
      this.lastServerDate = { text: dateHeader, ms: Number.isNaN(ms) ? null : ms }
    }
    const { ms } = this.lastServerDate
    return ms === null ? null : ms - Date.now()
  }

  /** The keep-alive pool of a base URL's origin, and its path prefix; made once per base URL. */
  private endpoint(baseUrl: string): { pool: Pool; basePath: string } {
    let endpoint = this.endpoints.get(baseUrl)
    if (!endpoint) {
      const url = new URL(baseUrl)
      const samePool = [...this.endpoints.entries()].find(([other]) => new URL(other).origin === url.origin)
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

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/** Path prefix of the base URL without a trailing slash (`https://api.xcover.com/x` gives `/x`). */
export function basePath(baseUrl: string): string {
  return new URL(baseUrl).pathname.replace(/\/+$/, "")
}

function errorOutcome(err: unknown, timeoutMs: number): XcoverOutcome {
  // Duck-typed: the AbortSignal's DOMException may come from another realm (jest, vm).
  const { name, code, message } = (err ?? {}) as { name?: unknown; code?: unknown; message?: unknown }
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
  return networkOutcome("network_error", typeof code === "string" ? `${code}: ${text}` : text)
}
