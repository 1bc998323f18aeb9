// Confirm Offer (`POST offers/{offer}/confirm/`): books quotes of an offer the stand-in created
// (or was told of with `knowOffer`), once, and answers a repeated idempotency key with its first
// answer.
import { book, type ConfirmBody } from "../bookings"
import {
  defaultErrorBody,
  refused,
  unknownOfferBody,
  type Refused,
} from "../errors"
import { answer, type Exchange } from "../exchange"
import { isObject, readBodyFields } from "../request-body"
import { playScripted, type Reply } from "../scripted"
import type { KeptAnswer, StandInState } from "../state"
import type { ConfirmableOffer } from "../types"

/** How long XCover keeps the first answer to an idempotency key (`shared/xcover-api.md`). */
const IDEMPOTENCY_TTL_MS = 48 * 60 * 60 * 1000

/** The policyholder's fields Confirm Offer checks; `phone` is required only after `requirePhone(true)`. */
const POLICYHOLDER_FIELDS = [
  "first_name",
  "last_name",
  "email",
  "phone",
  "country",
]

/**
 * Confirm Offer, once signature and partner are checked: the key (409 with its first answer,
 * 423 while its first request is processing), the body's shape, then scripted faults (which
 * book nothing, `bookThen` apart), then, holding the key, the offer, its quotes, the
 * policyholder and an earlier booking, and the booking. Every answer the key's request got is
 * kept for its repeats (`keepConfirmAnswer`).
 */
export async function handleConfirmOffer(
  ex: Exchange,
  offerId: string,
  raw: string
): Promise<void> {
  const { state } = ex
  const key = ex.record.idempotencyKey
  const kept = key ? keptConfirmAnswer(state, key) : undefined
  if (kept) {
    // idempotency-key-repeat: 409 with the first answer (a booking there; a refusal's body for a refused key).
    return answer(ex, 409, kept.body, "idempotent replay")
  }
  if (key && state.lockedKeys.has(key)) {
    // Guess: shared/xcover-api.md's 423, its body never captured.
    return answer(
      ex,
      423,
      {
        type: "locked",
        message: "A request with this idempotency key is still processing",
      },
      "idempotency key locked"
    )
  }
  const reply: Reply = (status, body, reason, headers) => {
    if (key) {
      keepConfirmAnswer(state, key, status, body)
    }
    return answer(ex, status, body, reason, headers)
  }
  const replyRefused = (
    refusal: Refused,
    headers?: Record<string, string>
  ): void => reply(refusal.status, refusal.body, refusal.reason, headers)

  const checked = readBodyFields(ex.req, raw, {
    fields: ["quotes", "policyholder", "partner_transaction_id"],
  })
  if (!checked.ok) {
    return replyRefused(checked)
  }
  const scripted = playScripted(ex, offerId, reply)
  if (!scripted) {
    return
  }
  const { status, headers } = scripted

  const generation = state.generation
  if (key) {
    state.lockedKeys.add(key)
  }
  try {
    if (state.confirmHoldMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, state.confirmHoldMs))
      if (generation !== state.generation) {
        return answer(
          ex,
          503,
          defaultErrorBody(503),
          "stand-in reset while the confirm was held",
          headers
        )
      }
    }
    const offer =
      state.createdOffers.get(offerId) ?? state.knownOffers.get(offerId)
    if (!offer) {
      // err-invalid-offer-id.
      return reply(404, unknownOfferBody(), "unknown offer", headers)
    }
    const fields = checkConfirmFields(state, checked.body, offerId, offer)
    if (!fields.ok) {
      return replyRefused(fields, headers)
    }
    const existing = state.bookingFor(offerId)
    if (existing) {
      // confirm-repeat: a second confirm without the first one's key.
      const exists = refused([
        `Booking already exists for fast_quote_id ${offerId}. INS number: ${existing.id}`,
      ])
      return replyRefused(exists, headers)
    }
    return reply(
      status,
      book(state, offerId, offer, fields.quotes, checked.body),
      null,
      headers
    )
  } finally {
    if (key && generation === state.generation) {
      state.lockedKeys.delete(key)
    }
  }
}

/** The kept first answer to this confirm key, unless none or older than 48 h. */
function keptConfirmAnswer(
  state: StandInState,
  key: string
): KeptAnswer | undefined {
  const kept = state.confirmKeys.get(key)
  return kept && state.now() - kept.at <= IDEMPOTENCY_TTL_MS ? kept : undefined
}

/**
 * Keeps a confirm's answer for its key's repeats, a copy as answered (idempotency-key-first,
 * -repeat; shared/xcover-api.md: the FIRST answer, 48 h). Guess beyond the captured success:
 * every answer the confirm itself gave is kept, 2xx and its 4xx refusals (a malformed body, an
 * unknown offer, a field, a booking that exists, a scripted 4xx); not 401/403 (XCover never got
 * as far as the key), 409, 423, 429, 5xx, hangs or resets (faults: the request may be retried).
 */
function keepConfirmAnswer(
  state: StandInState,
  key: string,
  status: number,
  body: unknown
): void {
  const refusal =
    status >= 400 && status < 500 && ![401, 403, 409, 423, 429].includes(status)
  if ((status >= 200 && status < 300) || refusal) {
    state.confirmKeys.set(key, {
      status,
      body: structuredClone(body),
      at: state.now(),
    })
  }
}

/**
 * The confirm body's quotes and policyholder, as XCover's validation would take them. Guess:
 * refused 422 in XCover's shape with `errors` by field (`quotes[0].id`, `policyholder.phone`);
 * no capture of these.
 */
function checkConfirmFields(
  state: StandInState,
  body: ConfirmBody,
  offerId: string,
  offer: ConfirmableOffer
): { ok: true; quotes: ConfirmableOffer["quotes"] } | Refused {
  const errors: Record<string, string[]> = {}
  const quotes: ConfirmableOffer["quotes"] = []
  if (body.quotes === undefined) {
    errors.quotes = ["This field is required."]
  } else if (!Array.isArray(body.quotes)) {
    errors.quotes = ["Must be a list."]
  } else if (body.quotes.length === 0) {
    errors.quotes = ["This list may not be empty."]
  } else {
    body.quotes.forEach((q: unknown, i: number) => {
      const id = isObject(q) ? q.id : undefined
      const quote =
        typeof id === "string"
          ? offer.quotes.find((o) => o.id === id)
          : undefined
      if (typeof id !== "string" || !id) {
        errors[`quotes[${i}].id`] = ["This field is required."]
      } else if (!quote) {
        errors[`quotes[${i}].id`] = [
          `Quote ${id} is not part of offer ${offerId}.`,
        ]
      } else if (quotes.includes(quote)) {
        errors[`quotes[${i}].id`] = [`Quote ${id} is given more than once.`]
      } else {
        quotes.push(quote)
      }
    })
  }
  const holder = body.policyholder
  if (!isObject(holder)) {
    errors.policyholder = [
      holder === undefined || holder === null
        ? "This field is required."
        : "Must be an object.",
    ]
  } else {
    for (const field of POLICYHOLDER_FIELDS) {
      const required = field !== "phone" || state.phoneRequired
      const v = holder[field]
      if (v === undefined || v === null || v === "") {
        if (required) {
          errors[`policyholder.${field}`] = ["This field is required."]
        }
      } else if (typeof v !== "string") {
        errors[`policyholder.${field}`] = ["Not a valid string."]
      }
    }
  }
  const ref = body.partner_transaction_id
  if (ref !== undefined && ref !== null && typeof ref !== "string") {
    errors.partner_transaction_id = ["Not a valid string."]
  }
  return Object.keys(errors).length ? refused(errors) : { ok: true, quotes }
}
