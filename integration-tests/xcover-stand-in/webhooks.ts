// XCover's webhooks as the stand-in sends them (`sendWebhook`), signed as XCover signs them, and
// a booking as their `payload` carries it. Guess: no capture of a webhook.
import { request as httpRequest } from "node:http"
import { request as httpsRequest } from "node:https"
import { DIGESTS, hmacSignature } from "./signature"
import type { StandInState } from "./state"
import type { StandInBooking } from "./types"

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

/** The booking as a webhook's `payload` carries it (a copy). */
export function webhookPayload(booking: StandInBooking): StandInWebhookPayload {
  const { id, status, currency, total_price, partner_transaction_id, quotes } =
    booking
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
export async function sendWebhook(
  state: StandInState,
  url: string,
  event: StandInWebhookEvent,
  payload: object,
  opts: StandInWebhookOptions
): Promise<{ status: number; body: string }> {
  const apiKey = opts.apiKey ?? state.options.apiKey
  const secret = opts.apiSecret ?? state.options.apiSecret
  const algorithm = opts.algorithm ?? "hmac-sha256"
  const date = (opts.date ?? new Date(state.now())).toUTCString()
  let signature = hmacSignature(DIGESTS[algorithm], secret, `date: ${date}`)
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
