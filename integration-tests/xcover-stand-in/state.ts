// What the stand-in keeps between requests: the requests received, the offers it created or was
// told of, its bookings, idempotency keys, pending cancellations, scripted answers, and the
// settings tests change (until `reset`).
import type { ServerResponse } from "node:http"
import type { PendingCancellation } from "./cancellation"
import { ScriptedAnswers } from "./scripted"
import type {
  ConfirmableOffer,
  CreatedOffer,
  ReceivedRequest,
  StandInBooking,
  StandInOptions,
} from "./types"

/** The first answer to an idempotency key, kept for its 409 replays. */
export type KeptAnswer = { status: number; body: unknown; at: number }

export class StandInState {
  readonly received: ReceivedRequest[] = []
  /** Offers answered by Create Offer since the last reset, by offer id. */
  readonly createdOffers = new Map<string, CreatedOffer>()
  /** Bookings made by Confirm Offer since the last reset, by booking id. */
  readonly bookings = new Map<string, StandInBooking>()
  /** Offers a test registered with `knowOffer` (Confirm Offer accepts them like created ones). */
  readonly knownOffers = new Map<string, ConfirmableOffer>()
  /**
   * The first answer to each Confirm Offer idempotency key, as answered (a replay is that answer,
   * even once the booking was cancelled since), and when (by the stand-in's clock): see
   * `keepConfirmAnswer`.
   */
  readonly confirmKeys = new Map<string, KeptAnswer>()
  /** Idempotency keys of confirms still being processed. */
  readonly lockedKeys = new Set<string>()
  /** Opt-out's idempotency keys answered 2xx, with the status. */
  readonly answeredOptOutKeys = new Map<string, number>()
  /** The latest cancellation previewed of each booking (by booking id), until confirmed or cancelled otherwise. */
  readonly pendingCancellations = new Map<string, PendingCancellation>()
  readonly scripted = new ScriptedAnswers()
  /** Answers held open (hang, trickle), which `stop` drops. */
  readonly hanging = new Set<ServerResponse>()
  readonly refusedSkus = new Set<string>()
  plans: string[] | null = null
  phoneRequired = false
  confirmHoldMs = 0
  offerHoldMs = 0
  priceDelta = 0
  /** Share of each quote's price refunded on cancellation; null: all of it. */
  refundRatio: number | null = null
  /** Bumped by reset, so that a confirm held across a reset books nothing into the new state. */
  generation = 0
  clockOffsetMs = 0

  constructor(readonly options: StandInOptions) {}

  get prefix(): string {
    return this.options.prefix ?? "/x"
  }

  /** The stand-in's clock (ms since the epoch): the machine's, moved by `setClockOffset`. */
  now(): number {
    return Date.now() + this.clockOffsetMs
  }

  reset(): void {
    this.received.length = 0
    this.scripted.reset()
    this.clockOffsetMs = 0
    this.answeredOptOutKeys.clear()
    this.refusedSkus.clear()
    this.plans = null
    this.createdOffers.clear()
    this.bookings.clear()
    this.knownOffers.clear()
    this.confirmKeys.clear()
    this.lockedKeys.clear()
    this.phoneRequired = false
    this.confirmHoldMs = 0
    this.offerHoldMs = 0
    this.priceDelta = 0
    this.refundRatio = null
    this.pendingCancellations.clear()
    this.generation++
  }

  /** The booking of this offer, if Confirm Offer booked it. */
  bookingFor(offerId: string): StandInBooking | undefined {
    for (const booking of this.bookings.values()) {
      if (booking.fast_quote_id === offerId) {
        return booking
      }
    }
    return undefined
  }

  /** The stored booking; throws for a booking the stand-in does not have. */
  existingBooking(bookingId: string): StandInBooking {
    const booking = this.bookings.get(bookingId)
    if (!booking) {
      throw new Error(`stand-in has no booking ${bookingId}`)
    }
    return booking
  }
}
