import { timingSafeEqual } from "node:crypto"
import {
  SIGNATURE_ALGORITHMS,
  type SignatureAlgorithm,
  type XcoverCredentials,
} from "../options"
import { computeSignature } from "../client/sign"

/** A webhook's Date may be this far from our clock; older ones may be replays. */
export const WEBHOOK_MAX_SKEW_MS = 5 * 60_000

export type WebhookHeaders = {
  date?: string
  "x-api-key"?: string
  authorization?: string
}

/**
 * Checks a webhook as XCover signs it: `X-Api-Key` is the account's key, `Authorization:
 * Signature keyId=...,algorithm=...,signature=...` is the HMAC (hmac-sha256 by default, or the
 * algorithm named) with the account's secret over `date: <Date>`, compared in constant time, and
 * the Date is within 5 minutes. Returns why not (for the log, never the secret), or null.
 */
export function webhookProblem(
  headers: WebhookHeaders,
  credentials: Pick<XcoverCredentials, "apiKey" | "apiSecret">,
  nowMs = Date.now()
): string | null {
  const { date, authorization } = headers
  if (!sameText(headers["x-api-key"] ?? "", credentials.apiKey)) {
    return "X-Api-Key is not this account's key"
  }
  if (!date || Number.isNaN(Date.parse(date))) {
    return "Date header missing or not a date"
  }
  if (Math.abs(nowMs - Date.parse(date)) > WEBHOOK_MAX_SKEW_MS) {
    return "Date is more than 5 minutes away"
  }
  const params = parseSignatureHeader(authorization ?? "")
  if (!params) {
    return "Authorization is not a Signature"
  }
  if (!sameText(params.get("keyId") ?? "", credentials.apiKey)) {
    return "keyId is not this account's key"
  }
  const algorithm = (params.get("algorithm") ??
    "hmac-sha256") as SignatureAlgorithm
  if (!SIGNATURE_ALGORITHMS.includes(algorithm)) {
    return `algorithm ${algorithm} not accepted`
  }
  if ((params.get("headers") ?? "date") !== "date") {
    return "only a signature over the date header is accepted"
  }
  const expected = decodeURIComponent(
    computeSignature(algorithm, credentials.apiSecret, `date: ${date}`)
  )
  let given: string
  try {
    given = decodeURIComponent(params.get("signature") ?? "")
  } catch {
    return "signature is not percent-encoded base64"
  }
  return sameText(given, expected) ? null : "signature does not match"
}

function parseSignatureHeader(value: string): Map<string, string> | null {
  const m = /^Signature (.+)$/.exec(value.trim())
  if (!m) {
    return null
  }
  const params = new Map<string, string>()
  for (const part of m[1].split(",")) {
    const p = /^\s*([A-Za-z]+)="([^"]*)"\s*$/.exec(part)
    if (!p) {
      return null
    }
    params.set(p[1], p[2])
  }
  return params
}

/** Constant-time for equal lengths (a length difference says nothing about the secret). */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
