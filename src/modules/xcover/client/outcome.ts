import { record } from "./json"

/**
 * Every XCover answer (or failure to get one) is classified once, here:
 * - `done`: the call did what it asked; 204 or any other 2xx
 * - `replayed`: 409, XCover's answer to a repeated idempotency key: the body is the key's FIRST
 *   answer, kept 48 h, whatever it was (a booking, or a refusal). Done only when the body carries
 *   the operation's result: the kind decides (`resolveReplay`); unresolved it counts as refused
 * - `retryable`: try again later; network errors, timeouts, 423, 429, 5xx
 * - `unauthorized`: XCover refused the credentials (401/403): a configuration problem, not an
 *   answer about the offer, so the offer waits for the configuration to be fixed
 * - `rejected`: XCover said no and will say no again; 404, 422 and every other 4xx
 */
export type OutcomeKind =
  "done" | "replayed" | "retryable" | "unauthorized" | "rejected"

export type XcoverOutcome = {
  kind: OutcomeKind
  /** HTTP status, or null when no response came back. */
  status: number | null
  /** XCover's error `type` (for example `auth_error`), or a local one such as `timeout`. */
  type: string | null
  /** What went wrong: XCover's reasons (`errors`) when it gave any, else its `message`. */
  message: string | null
  /** XCover's `code` (for example `offer_quote_generation_failed`), when it gave one. */
  code?: string | null
  /** XCover's reasons, one per line of its `errors` (see `errorReasons`); empty when none. */
  reasons?: string[]
  /** Delay asked for by a `Retry-After` header, in ms. */
  retryAfterMs: number | null
  /** XCover's `Date` header minus the local clock when the answer came, in ms (null: no answer). */
  clockSkewMs?: number | null
}

const RETRYABLE_STATUSES = new Set([423, 429])
const CREDENTIAL_STATUSES = new Set([401, 403])
const MAX_MESSAGE_LENGTH = 500

/** XCover's error body as the plugin reads it. */
export type XcoverErrorBody = {
  type: string | null
  message: string | null
  code: string | null
  reasons: string[]
}

/**
 * The one reader of XCover's error bodies. XCover's `message` is often generic ("An API error
 * occurred.", captured live: confirm-repeat, cancel-repeat, err-empty-body); what happened is in
 * `errors`, which comes in three shapes (all captured): an array of strings
 * (`["Booking already exists for fast_quote_id ... INS number: ..."]`), an object of field →
 * messages (`{ "non_field_errors": ["'customer' is a required property"] }`), or an object of
 * index → `{ message, type }` beside `metadata` (`offer_quote_generation_failed`).
 * `message` is the reasons when there are any, else XCover's message.
 */
export function parseErrorBody(text: string): XcoverErrorBody {
  if (!text) {
    return { type: null, message: null, code: null, reasons: [] }
  }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    // Not JSON (a proxy's HTML page, say): keep a short excerpt as the message.
    return { type: null, message: text.slice(0, 200), code: null, reasons: [] }
  }
  const b = record(body)
  if (!b) {
    return { type: null, message: text.slice(0, 200), code: null, reasons: [] }
  }
  const reasons = errorReasons(b.errors)
  const message = reasons.length
    ? reasons.join("; ")
    : typeof b.message === "string"
      ? b.message
      : null
  return {
    type: typeof b.type === "string" ? b.type.slice(0, 100) : null,
    message: message === null ? null : message.slice(0, MAX_MESSAGE_LENGTH),
    code: typeof b.code === "string" ? b.code.slice(0, 100) : null,
    reasons,
  }
}

/**
 * XCover's `errors`, flattened to one line per reason: strings as they are, a field's messages
 * as `field: message` (`non_field_errors` and numeric keys name no field), `{ message }` objects
 * by their message; `metadata` is not a reason. Repeats are dropped.
 */
export function errorReasons(errors: unknown): string[] {
  const reasons: string[] = []
  const add = (field: string | null, value: unknown): void => {
    if (typeof value === "string") {
      reasons.push(field ? `${field}: ${value}` : value)
    } else if (Array.isArray(value)) {
      value.forEach((v) => add(field, v))
    } else if (typeof record(value)?.message === "string") {
      add(field, record(value)?.message)
    }
  }
  if (Array.isArray(errors)) {
    add(null, errors)
  } else {
    for (const [key, value] of Object.entries(record(errors) ?? {})) {
      if (key !== "metadata") {
        add(key === "non_field_errors" || /^\d+$/.test(key) ? null : key, value)
      }
    }
  }
  return [...new Set(reasons)].slice(0, 20)
}

/** One of XCover's reasons matches (`errors` as parsed, else the message of an answer without them). */
export function hasReason(
  outcome: XcoverOutcome,
  pattern: RegExp
): RegExpExecArray | null {
  for (const reason of outcome.reasons?.length
    ? outcome.reasons
    : [outcome.message ?? ""]) {
    const m = pattern.exec(reason)
    if (m) {
      return m
    }
  }
  return null
}

/**
 * Whether the answer carried XCover's own error body (JSON with string `type` and `message`).
 * Only such a body sets `type`: a proxy's or web server's page never does.
 */
export function isXcoverErrorBody(outcome: XcoverOutcome): boolean {
  return (
    outcome.status !== null && outcome.type !== null && outcome.message !== null
  )
}

/** `Retry-After` as seconds or as an HTTP date, in ms from `now`; null when absent or invalid. */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now()
): number | null {
  if (!value) {
    return null
  }
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    return Math.round(Number(trimmed) * 1000)
  }
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? null : Math.max(0, at - now)
}

export function classifyStatus(status: number): OutcomeKind {
  if (status >= 200 && status < 300) {
    return "done"
  }
  if (status === 409) {
    return "replayed"
  }
  if (status >= 500 || RETRYABLE_STATUSES.has(status)) {
    return "retryable"
  }
  if (CREDENTIAL_STATUSES.has(status)) {
    return "unauthorized"
  }
  return "rejected"
}

export function responseOutcome(
  status: number,
  bodyText: string,
  retryAfterHeader?: string | null
): XcoverOutcome {
  const kind = classifyStatus(status)
  // A 2xx body is the caller's to read; a 409 replaying a success is a success's body, whose
  // `errors` (if any) are not a refusal's.
  const error = kind === "done" ? null : parseErrorBody(bodyText)
  return {
    kind,
    status,
    type: error?.type ?? null,
    message: error?.message ?? null,
    code: error?.code ?? null,
    reasons: error?.reasons ?? [],
    retryAfterMs:
      kind === "retryable" ? parseRetryAfter(retryAfterHeader) : null,
  }
}

/**
 * Settles a 409 (`replayed`): XCover answered a repeated idempotency key with the key's first
 * answer. It is done only when that body carries the operation's result (`isResult`: a booking
 * with an id for a confirm); otherwise the first answer was a refusal and the key is spent: the
 * operation is refused with that reason, and retrying it by hand sends a new key.
 */
export function resolveReplay<
  A extends { outcome: XcoverOutcome; body: unknown },
>(answer: A, isResult: (body: unknown) => boolean): A {
  const { outcome } = answer
  if (outcome.kind !== "replayed") {
    return answer
  }
  if (isResult(answer.body)) {
    return {
      ...answer,
      outcome: {
        ...outcome,
        kind: "done",
        type: null,
        message: null,
        reasons: [],
      },
    }
  }
  const first = outcome.message ?? "no reason given"
  return {
    ...answer,
    outcome: {
      ...outcome,
      kind: "rejected",
      message: `this idempotency key was answered before, and refused: ${first}`,
    },
  }
}

/** A request that got no response: always worth another try. */
export function networkOutcome(
  type: "timeout" | "network_error",
  message: string
): XcoverOutcome {
  return { kind: "retryable", status: null, type, message, retryAfterMs: null }
}

/** One line for logs and the ledger's `last_error`, e.g. `404 api_error: Quote package does not exist`. */
export function describeOutcome(outcome: XcoverOutcome): string {
  const parts = [outcome.status ?? undefined, outcome.type ?? undefined].filter(
    (p) => p !== undefined
  )
  const head = parts.join(" ")
  return outcome.message ? `${head}: ${outcome.message}` : head || outcome.kind
}
