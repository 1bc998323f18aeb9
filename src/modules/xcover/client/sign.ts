import { createHmac } from "node:crypto"
import type { SignatureAlgorithm, SignedHeaders } from "../options"

export type SignInput = {
  apiKey: string
  apiSecret: string
  algorithm: SignatureAlgorithm
  signedHeaders: SignedHeaders
  /** HTTP method, any case; it is lower-cased for the request target. */
  method: string
  /** URL path as sent on the wire (already percent-encoded), without query string. */
  path: string
  /** The moment of the request; the Date header is derived from it. */
  now: Date
}

export type SignedRequestHeaders = {
  date: string
  "x-api-key": string
  authorization: string
}

const DIGESTS: Record<SignatureAlgorithm, string> = {
  "hmac-sha512": "sha512",
  "hmac-sha384": "sha384",
  "hmac-sha256": "sha256",
}

/**
 * RFC 7231 IMF-fixdate in GMT with a two-digit day ("Thu, 04 Nov 2021 18:07:11 GMT").
 * `toUTCString` yields exactly that form and never uses local time.
 */
export function httpDate(now: Date): string {
  return now.toUTCString()
}

/** The string to sign for the given header list, lines joined by `\n`. */
export function stringToSign(
  input: Pick<SignInput, "signedHeaders" | "method" | "path">,
  date: string
): string {
  const dateLine = `date: ${date}`
  if (input.signedHeaders === "(request-target) date") {
    return `(request-target): ${input.method.toLowerCase()} ${input.path.split("?")[0]}\n${dateLine}`
  }
  return dateLine
}

/** HMAC digest in standard base64, percent-encoded as `encodeURIComponent` does. */
export function computeSignature(
  algorithm: SignatureAlgorithm,
  secret: string,
  message: string
): string {
  const digest = createHmac(DIGESTS[algorithm], secret)
    .update(message, "utf8")
    .digest("base64")
  return encodeURIComponent(digest)
}

/**
 * Headers that authenticate one XCover request. Call it for every request: the Date and so the
 * signature must be fresh each time (reusing them is a known bug of other clients).
 */
export function signRequest(input: SignInput): SignedRequestHeaders {
  const date = httpDate(input.now)
  const signature = computeSignature(
    input.algorithm,
    input.apiSecret,
    stringToSign(input, date)
  )
  const params = [`keyId="${input.apiKey}"`, `algorithm="${input.algorithm}"`]
  if (input.signedHeaders !== "date") {
    params.push(`headers="${input.signedHeaders}"`)
  }
  params.push(`signature="${signature}"`)
  return {
    date,
    "x-api-key": input.apiKey,
    authorization: `Signature ${params.join(",")}`,
  }
}

/**
 * `signRequest` with a one-entry memo for the `date`-only scheme: there the signature depends
 * on nothing but the Date header, which changes once a second, so calls within the same second
 * share one HMAC (and one Date string: `toUTCString` drops the milliseconds). The clock is still
 * read for every request; nothing stale is ever sent.
 */
export function createSigner(): (input: SignInput) => SignedRequestHeaders {
  let last: {
    second: number
    algorithm: SignatureAlgorithm
    apiKey: string
    apiSecret: string
    headers: SignedRequestHeaders
  } | null = null
  return (input) => {
    if (input.signedHeaders !== "date") {
      return signRequest(input)
    }
    const second = Math.floor(input.now.getTime() / 1000)
    if (
      last === null ||
      last.second !== second ||
      last.apiSecret !== input.apiSecret ||
      last.apiKey !== input.apiKey ||
      last.algorithm !== input.algorithm
    ) {
      last = {
        second,
        algorithm: input.algorithm,
        apiKey: input.apiKey,
        apiSecret: input.apiSecret,
        headers: signRequest(input),
      }
    }
    return last.headers
  }
}
