// Making a booking as Confirm Offer answers it (`book`, also `plantBooking`), and the ids and
// amounts bookings and cancellations are made of.
import { randomBytes, randomInt } from "node:crypto"
import { STAND_IN_PLANS } from "./plans"
import type { StandInState } from "./state"
import type { ConfirmableOffer, StandInBooking } from "./types"

/** Confirm Offer's body, its fields not yet checked. */
export type ConfirmBody = {
  quotes?: unknown
  policyholder?: unknown
  partner_transaction_id?: unknown
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100
}

export const UPPER_CODE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
export const MIXED_CODE_CHARS =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

/** Groups of 5 random characters joined by `-`, then the suffix: `ABCDE-FGHIJ-INS`. */
export function randomCode(
  groups: number,
  chars: string,
  suffix: string
): string {
  const group = () =>
    Array.from({ length: 5 }, () => chars[randomInt(chars.length)]).join("")
  return [...Array.from({ length: groups }, group), suffix].join("-")
}

/** Records and returns the booking of these quotes of the offer. */
export function book(
  state: StandInState,
  offerId: string,
  offer: ConfirmableOffer,
  quotes: ConfirmableOffer["quotes"],
  body: ConfirmBody
): StandInBooking {
  let id: string
  do {
    id = randomCode(2, UPPER_CODE_CHARS, "INS")
  } while (state.bookings.has(id))
  const token = randomBytes(16).toString("hex")
  const totalPrice = round2(
    quotes.reduce((sum, q) => sum + q.price, 0) + state.priceDelta
  )
  const totalPremium = round2(totalPrice / 1.1)
  const today = new Date(state.now()).toISOString().slice(0, 10)
  const booking: StandInBooking = {
    id,
    status: "CONFIRMED",
    currency: offer.currency,
    total_price: totalPrice,
    total_premium: totalPremium,
    total_tax: round2(totalPrice - totalPremium),
    partner_transaction_id:
      typeof body.partner_transaction_id === "string"
        ? body.partner_transaction_id
        : null,
    fast_quote_id: offerId,
    pds_url: `https://www.xcover.com/en/pds/${id}`,
    coi: {
      url: `https://www.xcover.com/en/coi/${id}?security_token=${token}`,
      pdf: `https://www.xcover.com/en/coi/${id}.pdf?security_token=${token}`,
    },
    fnol_link: `https://www.xcover.com/en/claims/${id}?security_token=${token}`,
    cancel_link: `https://www.xcover.com/en/cancel/${id}?security_token=${token}`,
    quotes: quotes.map((q) => ({
      id: q.id,
      status: "CONFIRMED" as const,
      price: q.price,
      policy_start_date: today,
      can_be_cancelled: true,
      policy: {
        policy_name:
          STAND_IN_PLANS.find((p) => p.productConfigId === q.product_config_id)
            ?.title ?? "Protection",
      },
    })),
    policyholder: body.policyholder as Record<string, unknown>,
  }
  state.bookings.set(id, booking)
  return booking
}
