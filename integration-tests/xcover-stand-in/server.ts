import { createHmac, timingSafeEqual } from "node:crypto"
import { STATUS_CODES, createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo, Socket } from "node:net"

/**
 * A local stand-in for XCover's Offers API opt-out endpoint. It checks every request exactly as
 * `shared/xcover-api.md` documents it, independently of the plugin's own signing code, and can
 * be scripted per offer. Mock at the network edge: the plugin talks real HTTP to it.
 */

export type Behaviour =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { hang: true }
  | { reset: true }

export type ReceivedRequest = {
  method: string
  path: string
  offerId: string | null
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

const DATE_RE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/
const DIGESTS: Record<string, string> = { "hmac-sha512": "sha512", "hmac-sha384": "sha384", "hmac-sha256": "sha256" }

export class XcoverStandIn {
  readonly received: ReceivedRequest[] = []
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

  /** Answers for the next correctly signed requests, whichever offer they are for. */
  scriptNext(...behaviours: Behaviour[]): void {
    this.nextAnswers.push(...behaviours)
  }

  /** Runs the stand-in's clock this far from the machine's: its `Date` answers and its checks. */
  setClockOffset(ms: number): void {
    this.clockOffsetMs = ms
  }

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
    const body = await readBody(req)
    const record: ReceivedRequest = {
      method: req.method ?? "",
      path: req.url ?? "",
      offerId: null,
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
    }
    this.received.push(record)

    const route = this.matchRoute(req.method ?? "", req.url ?? "")
    if (!route.ok) {
      // Outside the API XCover's JSON errors do not apply: a web server's plain page, as for a wrong base path.
      record.answer = route.status
      record.reason = route.reason
      res.writeHead(route.status, { "content-type": "text/html" }).end(`<html><body><h1>${route.status} ${STATUS_CODES[route.status]}</h1></body></html>`)
      return
    }
    record.offerId = route.offerId
    record.partnerCode = route.partnerCode

    const auth = this.checkSignature(req, record)
    if (auth) {
      return this.answer(res, record, 403, { type: "auth_error", message: "You do not have permission to access this url" }, auth)
    }
    if (route.partnerCode !== this.options.partnerCode) {
      return this.answer(res, record, 403, { type: "auth_error", message: "You do not have permission to access this url" }, "unknown partner code")
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
    if ("hang" in behaviour) {
      record.answer = "hang"
      this.hanging.add(res)
      res.on("close", () => {
        record.closedAt = Date.now()
        this.hanging.delete(res)
      })
      return
    }
    if ("reset" in behaviour) {
      record.answer = "reset"
      req.socket.destroy()
      return
    }
    if (behaviour.status >= 200 && behaviour.status < 300 && key) {
      this.answeredKeys.set(key, behaviour.status)
    }
    const errorBody = behaviour.body ?? (behaviour.status === 204 ? undefined : defaultErrorBody(behaviour.status))
    return this.answer(res, record, behaviour.status, errorBody, null, behaviour.headers)
  }

  private matchRoute(
    method: string,
    url: string
  ): { ok: true; partnerCode: string; offerId: string } | { ok: false; status: number; reason: string } {
    if (method !== "POST") {
      return { ok: false, status: 405, reason: `method ${method} not allowed` }
    }
    if (url.includes("?")) {
      return { ok: false, status: 404, reason: "unexpected query string" }
    }
    const prefix = this.prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    const m = new RegExp(`^${prefix}/partners/([^/]+)/offers/([^/]+)/opt_out/$`).exec(url)
    if (!m) {
      return { ok: false, status: 404, reason: "no such path (the trailing slash is required)" }
    }
    return { ok: true, partnerCode: decodeURIComponent(m[1]), offerId: decodeURIComponent(m[2]) }
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
