/**
 * Every XCover answer (or failure to get one) is classified once, here:
 * - `done`: the call did what it asked; 204, any other 2xx, or 409 (an idempotent replay of a call that succeeded)
 * - `retryable`: try again later; network errors, timeouts, 423, 429, 5xx
 * - `unauthorized`: XCover refused the credentials (401/403): a configuration problem, not an
 *   answer about the offer, so the offer waits for the configuration to be fixed
 * - `rejected`: XCover said no and will say no again; 404, 422 and every other 4xx
 */
export type OutcomeKind = "done" | "retryable" | "unauthorized" | "rejected"

export type XcoverOutcome = {
  kind: OutcomeKind
  /** HTTP status, or null when no response came back. */
  status: number | null
  /** XCover's error `type` (for example `auth_error`), or a local one such as `timeout`. */
  type: string | null
  message: string | null
  /** Delay asked for by a `Retry-After` header, in ms. */
  retryAfterMs: number | null
  /** XCover's `Date` header minus the local clock when the answer came, in ms (null: no answer). */
  clockSkewMs?: number | null
}

const RETRYABLE_STATUSES = new Set([423, 429])
const CREDENTIAL_STATUSES = new Set([401, 403])
const MAX_MESSAGE_LENGTH = 500

/** Reads only `type` and `message` from an XCover error body; anything else is ignored. */
export function parseErrorBody(text: string): { type: string | null; message: string | null } {
  if (!text) {
    return { type: null, message: null }
  }
  try {
    const body: unknown = JSON.parse(text)
    if (body && typeof body === "object") {
      const { type, message } = body as Record<string, unknown>
      return {
        type: typeof type === "string" ? type.slice(0, 100) : null,
        message: typeof message === "string" ? message.slice(0, MAX_MESSAGE_LENGTH) : null,
      }
    }
  } catch {
    // Not JSON (a proxy's HTML page, say): keep a short excerpt as the message.
  }
  return { type: null, message: text.slice(0, 200) }
}

/**
 * Whether the answer carried XCover's own error body (JSON with string `type` and `message`).
 * Only such a body sets `type`: a proxy's or web server's page never does.
 */
export function isXcoverErrorBody(outcome: XcoverOutcome): boolean {
  return outcome.status !== null && outcome.type !== null && outcome.message !== null
}

/** `Retry-After` as seconds or as an HTTP date, in ms from `now`; null when absent or invalid. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
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
  if ((status >= 200 && status < 300) || status === 409) {
    return "done"
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
  const { type, message } = kind === "done" && status !== 409
    ? { type: null, message: null }
    : parseErrorBody(bodyText)
  return {
    kind,
    status,
    type,
    message,
    retryAfterMs: kind === "retryable" ? parseRetryAfter(retryAfterHeader) : null,
  }
}

/** A request that got no response: always worth another try. */
export function networkOutcome(type: "timeout" | "network_error", message: string): XcoverOutcome {
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
