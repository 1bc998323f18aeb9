// XCover's request signatures (HTTP Signatures over `date`, and optionally `(request-target)`,
// HMAC, base64, percent-encoded), checked exactly as `shared/xcover-api.md` documents them and
// independently of the plugin's own signing code; the same HMAC signs the stand-in's webhooks.
import { createHmac, timingSafeEqual } from "node:crypto"
import type { IncomingMessage } from "node:http"
import { header } from "./request-body"
import type { StandInState } from "./state"
import type { ReceivedRequest } from "./types"

const DATE_RE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/

/** The Node digest of each accepted `algorithm`. */
export const DIGESTS: Record<string, string> = {
  "hmac-sha512": "sha512",
  "hmac-sha384": "sha384",
  "hmac-sha256": "sha256",
}

/** The signature of these signing lines: HMAC with this digest, base64, percent-encoded. */
export function hmacSignature(
  digest: string,
  secret: string,
  signingString: string
): string {
  return encodeURIComponent(
    createHmac(digest, secret).update(signingString).digest("base64")
  )
}

/** Null when the request is correctly signed, else why not. Records the algorithm and signed headers. */
export function checkSignature(
  state: StandInState,
  req: IncomingMessage,
  record: ReceivedRequest
): string | null {
  const { options } = state
  const date = header(req, "date")
  if (!date || !DATE_RE.test(date)) {
    return "Date header missing or not in RFC 7231 GMT form"
  }
  const skew = Math.abs(state.now() - Date.parse(date))
  if (!(skew <= (options.maxSkewMs ?? 5 * 60_000))) {
    return `Date is ${Math.round(skew / 1000)} s off`
  }
  const apiKey = header(req, "x-api-key")
  const secret = [options, ...(options.extraKeys ?? [])].find(
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
  const expected = hmacSignature(digest, secret, lines.join("\n"))
  const given = params.get("signature") ?? ""
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    return "signature mismatch"
  }
  return null
}
