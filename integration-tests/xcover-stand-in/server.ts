import { createHmac, randomUUID, timingSafeEqual } from "node:crypto"
import { STATUS_CODES, createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo, Socket } from "node:net"

/**
 * A local stand-in for XCover's Offers API: opt-out (`POST {prefix}/partners/{partner}/offers/{offer}/opt_out/`)
 * and Create Offer (`POST {prefix}/partners/{partner}/offers/?include_content=true`). It checks
 * every request exactly as `shared/xcover-api.md` documents it, independently of the plugin's own
 * signing code, and can be scripted. Mock at the network edge: the plugin talks real HTTP to it.
 *
 * Create Offer quotes deterministic prices (`standInQuotePrice`) for two plans (`STAND_IN_PLANS`);
 * `refuseCover` and `setPlans` change what it offers, `createdOffers` remembers what it answered.
 */

export type Behaviour =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { hang: true }
  | { reset: true }

export type StandInRoute = "opt_out" | "create_offer"

export type ReceivedRequest = {
  method: string
  /** As sent, query string included. */
  path: string
  /** Which API call the path named; null for a path (or method) the stand-in does not serve. */
  route: StandInRoute | null
  /**
   * The offer id in an opt-out path. Always null for Create Offer (so `requestsFor` and
   * `acceptedOfferIds` keep meaning opt-outs); see `createdOfferId` for the offer it created.
   */
  offerId: string | null
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
export type StandInPlan = { productConfigId: string; title: string; description: string; rate: number }

export const STAND_IN_PLANS: readonly StandInPlan[] = [
  { productConfigId: "pc-standard", title: "Standard Protection", description: "Accidental damage for 2 years", rate: 0.05 },
  { productConfigId: "pc-premium", title: "Premium Protection", description: "Accidental damage and theft for 3 years", rate: 0.09 },
]

/**
 * The price the stand-in quotes: round2(retailValue * rate * quantity^0.9), at least 0.5 (so,
 * like XCover's, not linear in quantity). Tests use it to compute the expected price; the plugin
 * itself must never compute a price.
 */
export function standInQuotePrice(planConfigId: string, retailValue: number, quantity = 1): number {
  const plan = STAND_IN_PLANS.find((p) => p.productConfigId === planConfigId)
  if (!plan) {
    throw new Error(`stand-in has no plan ${planConfigId}`)
  }
  return Math.max(0.5, Math.round(retailValue * plan.rate * Math.pow(quantity, 0.9) * 100) / 100)
}

/** An offer the stand-in answered to Create Offer (200), as `createdOffers` keeps it. */
export type CreatedOffer = {
  id: string
  currency: string
  /** The request body that created it. */
  body: unknown
  quotes: { id: string; product_config_id: string; price: number }[]
}

const DATE_RE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/
const DIGESTS: Record<string, string> = { "hmac-sha512": "sha512", "hmac-sha384": "sha384", "hmac-sha256": "sha256" }

export class XcoverStandIn {
  readonly received: ReceivedRequest[] = []
  /** Offers answered by Create Offer since the last reset, by offer id. */
  readonly createdOffers = new Map<string, CreatedOffer>()
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

  /** Answers for one offer's next requests, in order; after them the default applies. */
  script(offerId: string, ...behaviours: Behaviour[]): void {
    this.scripts.set(offerId, [...(this.scripts.get(offerId) ?? []), ...behaviours])
  }

  /**
   * Answers for the next correctly signed (and well-formed) requests of any route, opt-out or
   * Create Offer, before per-offer scripts. For Create Offer a 2xx without `body` means "quote
   * as usual" (its `headers` are added); any other behaviour is answered as given.
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
  }

  /** Connections clients hold open (keep-alive), to check that they close them. */
  openConnections(): number {
    return this.sockets.size
  }

  requestsFor(offerId: string): ReceivedRequest[] {
    return this.received.filter((r) => r.offerId === offerId)
  }

  /** Offers XCover counts as opted out: answered 204 at least once. */
  acceptedOfferIds(): string[] {
    return this.received.filter((r) => r.answer === 204 && r.offerId).map((r) => r.offerId as string)
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now()
    const arrived = performance.now()
    const body = await readBody(req)
    const record: ReceivedRequest = {
      method: req.method ?? "",
      path: req.url ?? "",
      route: null,
      offerId: null,
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
      res.writeHead(route.status, { "content-type": "text/html" }).end(`<html><body><h1>${route.status} ${STATUS_CODES[route.status]}</h1></body></html>`)
      return
    }
    record.route = route.route
    record.offerId = route.offerId
    record.partnerCode = route.partnerCode

    const auth = this.checkSignature(req, record)
    if (auth) {
      return this.answer(res, record, 403, { type: "auth_error", message: "You do not have permission to access this url" }, auth)
    }
    if (route.partnerCode !== this.options.partnerCode) {
      return this.answer(res, record, 403, { type: "auth_error", message: "You do not have permission to access this url" }, "unknown partner code")
    }
    if (route.route === "create_offer") {
      return this.createOffer(req, res, record, body)
    }
    const bodyProblem = checkBody(req, body)
    if (bodyProblem) {
      return this.answer(res, record, 422, { type: "validation_error", message: bodyProblem }, bodyProblem)
    }

    const key = record.idempotencyKey
    if (key && this.answeredKeys.has(key)) {
      return this.answer(res, record, 409, { type: "conflict", message: "Request already processed" }, "idempotent replay")
    }

    const queue = this.nextAnswers.length ? this.nextAnswers : this.scripts.get(route.offerId)
    const behaviour = queue?.length ? (queue.shift() as Behaviour) : this.defaultBehaviour
    if (this.hangOrReset(req, res, record, behaviour)) {
      return
    }
    if (behaviour.status >= 200 && behaviour.status < 300 && key) {
      this.answeredKeys.set(key, behaviour.status)
    }
    const errorBody = behaviour.body ?? (behaviour.status === 204 ? undefined : defaultErrorBody(behaviour.status))
    return this.answer(res, record, behaviour.status, errorBody, null, behaviour.headers)
  }

  /** Carries out a hang or reset behaviour (true), or leaves a status behaviour to the caller (false). */
  private hangOrReset(req: IncomingMessage, res: ServerResponse, record: ReceivedRequest, behaviour: Behaviour): behaviour is Exclude<Behaviour, { status: number }> {
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
  private createOffer(req: IncomingMessage, res: ServerResponse, record: ReceivedRequest, raw: string): void {
    const checked = checkCreateOfferBody(req, raw)
    if (!checked.ok) {
      return this.answer(res, record, checked.status, checked.body, checked.body.message)
    }
    const body = checked.body
    const scripted = this.nextAnswers.length ? (this.nextAnswers.shift() as Behaviour) : null
    if (scripted && this.hangOrReset(req, res, record, scripted)) {
      return
    }
    if (scripted && "status" in scripted && (scripted.body !== undefined || scripted.status < 200 || scripted.status >= 300)) {
      const errorBody = scripted.body ?? (scripted.status === 204 ? undefined : defaultErrorBody(scripted.status))
      return this.answer(res, record, scripted.status, errorBody, null, scripted.headers)
    }
    const headers = scripted && "status" in scripted ? scripted.headers : undefined

    const product = isObject(body.context.product) ? body.context.product : {}
    const retailValue = product.retail_value
    const quantity = product.quantity === undefined ? 1 : product.quantity
    if (typeof quantity !== "number" || !Number.isInteger(quantity) || quantity < 1) {
      const message = "context.product.quantity must be a positive integer"
      return this.answer(res, record, 422, { type: "validation_error", message, errors: { "context.product.quantity": [message] } }, message, headers)
    }
    const plans = STAND_IN_PLANS.filter((p) => !this.plans || this.plans.includes(p.productConfigId))
    const refusal =
      typeof retailValue !== "number" || !Number.isFinite(retailValue) || retailValue <= 0
        ? "context.product.retail_value is not a positive number"
        : typeof product.sku === "string" && this.refusedSkus.has(product.sku)
          ? `cover refused for sku ${product.sku}`
          : plans.length === 0
            ? "no plans enabled (setPlans)"
            : null
    if (refusal || typeof retailValue !== "number") {
      return this.answer(
        res,
        record,
        422,
        { type: "validation_error", message: "Failed to generate offer quotes", code: "offer_quote_generation_failed", errors: {} },
        refusal,
        headers
      )
    }

    const { currency, language, country } = body.customer
    const format = currencyFormatter(`${language}-${country}`, currency)
    const quotes = plans.map((plan) => ({ id: randomUUID(), plan, price: standInQuotePrice(plan.productConfigId, retailValue, quantity) }))
    const offer: CreatedOffer = {
      id: randomUUID(),
      currency,
      body,
      quotes: quotes.map((q) => ({ id: q.id, product_config_id: q.plan.productConfigId, price: q.price })),
    }
    this.createdOffers.set(offer.id, offer)
    record.createdOfferId = offer.id
    const answer = {
      id: offer.id,
      status: "RECEIVED",
      currency,
      products: quotes.map((q) => ({
        id: q.id,
        product_config_id: q.plan.productConfigId,
        status: "RECEIVED",
        details: {
          pds_url: `https://www.xcover.com/en/pds/${q.id}`,
          finance: { price: { total_amount: q.price, total_amount_formatted: format(q.price) } },
        },
      })),
      content: {
        title: "Protect your purchase",
        heading: "Add product protection",
        positive_cta: "Yes, protect it",
        negative_cta: "No thanks",
        disclaimer: "Cover is provided by XCover, a Cover Genius company, under the terms of the PDS.",
        extras: { terms: "See the PDS" },
        products: quotes.map((q) => ({ id: q.id, title: q.plan.title, description: q.plan.description })),
      },
      errors: {},
    }
    const status = scripted && "status" in scripted ? scripted.status : 200
    return this.answer(res, record, status, answer, null, headers)
  }

  private matchRoute(
    method: string,
    url: string
  ):
    | { ok: true; route: "opt_out"; partnerCode: string; offerId: string }
    | { ok: true; route: "create_offer"; partnerCode: string; offerId: null }
    | { ok: false; status: number; reason: string } {
    if (method !== "POST") {
      return { ok: false, status: 405, reason: `method ${method} not allowed` }
    }
    const prefix = this.prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    const q = url.indexOf("?")
    const path = q < 0 ? url : url.slice(0, q)
    const create = new RegExp(`^${prefix}/partners/([^/]+)/offers/$`).exec(path)
    if (create) {
      // The one path that takes a query string, and it must ask for the content.
      const query = q < 0 ? "" : url.slice(q + 1)
      if (query !== "include_content=true") {
        return { ok: false, status: 404, reason: "create offer requires the query string include_content=true (and nothing else)" }
      }
      return { ok: true, route: "create_offer", partnerCode: decodeURIComponent(create[1]), offerId: null }
    }
    if (q >= 0) {
      return { ok: false, status: 404, reason: "unexpected query string" }
    }
    const m = new RegExp(`^${prefix}/partners/([^/]+)/offers/([^/]+)/opt_out/$`).exec(url)
    if (!m) {
      return { ok: false, status: 404, reason: "no such path (the trailing slash is required)" }
    }
    return { ok: true, route: "opt_out", partnerCode: decodeURIComponent(m[1]), offerId: decodeURIComponent(m[2]) }
  }

  /** Null when the request is correctly signed, else why not. */
  private checkSignature(req: IncomingMessage, record: ReceivedRequest): string | null {
    const date = header(req, "date")
    if (!date || !DATE_RE.test(date)) {
      return "Date header missing or not in RFC 7231 GMT form"
    }
    const skew = Math.abs(Date.now() + this.clockOffsetMs - Date.parse(date))
    if (!(skew <= (this.options.maxSkewMs ?? 5 * 60_000))) {
      return `Date is ${Math.round(skew / 1000)} s off`
    }
    const apiKey = header(req, "x-api-key")
    const secret = [this.options, ...(this.options.extraKeys ?? [])].find((k) => k.apiKey === apiKey)?.apiSecret
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
        lines.push(`(request-target): ${(req.method ?? "").toLowerCase()} ${(req.url ?? "").split("?")[0]}`)
      } else if (name === "date") {
        lines.push(`date: ${date}`)
      } else {
        return `cannot sign header ${name}`
      }
    }
    const expected = encodeURIComponent(createHmac(digest, secret).update(lines.join("\n")).digest("base64"))
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
    record.answer = status
    record.reason = reason
    headers = { date: new Date(Date.now() + this.clockOffsetMs).toUTCString(), ...headers }
    if (status === 204 || body === undefined) {
      res.writeHead(status, headers).end()
      return
    }
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body))
  }
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v ?? null
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", () => resolve(""))
  })
}

function checkBody(req: IncomingMessage, body: string): string | null {
  if (!body) {
    return null
  }
  if (!(header(req, "content-type") ?? "").startsWith("application/json")) {
    return "body must be application/json"
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return "body is not JSON"
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    return "body must be a JSON object"
  }
  const unknown = Object.keys(parsed).filter((k) => k !== "partner_metadata")
  return unknown.length ? `unknown fields: ${unknown.join(", ")}` : null
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

type CreateOfferBody = {
  customer: { currency: string; language: string; country: string }
  context: Record<string, unknown> & { product?: unknown }
  partner?: Record<string, unknown>
  request?: unknown
}

type ValidationError = { type: string; message: string; errors: Record<string, string[]> }

/**
 * Create Offer's body: 400 when it is not JSON, 422 `validation_error` with `errors` by field
 * (dotted paths, e.g. `customer.currency`) when its shape is wrong.
 */
function checkCreateOfferBody(
  req: IncomingMessage,
  raw: string
): { ok: true; body: CreateOfferBody } | { ok: false; status: number; body: ValidationError } {
  const invalid = (errors: Record<string, string[]>) => {
    const [field, [first]] = Object.entries(errors)[0]
    return { ok: false as const, status: 422, body: { type: "validation_error", message: `${field}: ${first}`, errors } }
  }
  if (!raw) {
    return invalid({ body: ["A JSON body is required."] })
  }
  if (!(header(req, "content-type") ?? "").startsWith("application/json")) {
    return invalid({ body: ["Content-Type must be application/json."] })
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    return { ok: false, status: 400, body: { type: "parse_error", message: "JSON parse error", errors: {} } }
  }
  if (!isObject(parsed)) {
    return invalid({ body: ["Must be a JSON object."] })
  }
  const errors: Record<string, string[]> = {}
  for (const k of Object.keys(parsed)) {
    if (!["customer", "partner", "context", "request"].includes(k)) {
      errors[k] = ["Unknown field."]
    }
  }
  const customer = parsed.customer
  if (!isObject(customer)) {
    errors.customer = [customer === undefined ? "This field is required." : "Must be an object."]
  } else {
    if (typeof customer.currency !== "string" || !/^[A-Z]{3}$/.test(customer.currency)) {
      errors["customer.currency"] = ["Must be a 3-letter upper-case currency code."]
    }
    if (typeof customer.language !== "string" || !customer.language) {
      errors["customer.language"] = ["Must be a language code."]
    }
    if (typeof customer.country !== "string" || !/^[A-Z]{2}$/.test(customer.country)) {
      errors["customer.country"] = ["Must be a 2-letter upper-case country code."]
    }
  }
  if (!isObject(parsed.context)) {
    errors.context = [parsed.context === undefined ? "This field is required." : "Must be an object."]
  }
  if (parsed.partner !== undefined && !isObject(parsed.partner)) {
    errors.partner = ["Must be an object."]
  }
  if (Object.keys(errors).length) {
    return invalid(errors)
  }
  return { ok: true, body: parsed as CreateOfferBody }
}

/** `Intl` currency formatting for the customer's locale, `en-US` when that locale is not valid. */
function currencyFormatter(locale: string, currency: string): (amount: number) => string {
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

function defaultErrorBody(status: number): { type: string; message: string } {
  switch (status) {
    case 403:
      return { type: "auth_error", message: "You do not have permission to access this url" }
    case 404:
      return { type: "api_error", message: "Quote package does not exist" }
    case 422:
      return { type: "validation_error", message: "Invalid input" }
    case 429:
      return { type: "throttled", message: "Request was throttled. Expected available in 1 second." }
    default:
      return { type: "api_error", message: `stand-in answered ${status}` }
  }
}
