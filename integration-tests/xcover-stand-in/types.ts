// The stand-in's public types: what a test scripts (`Behaviour`), what it records of each request
// (`ReceivedRequest`), how it is set up (`StandInOptions`), and the offers and bookings it keeps.
// `server.ts` exports them all.

export type Behaviour =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { hang: true }
  | { reset: true }
  /**
   * A slow answer (no capture: a fault to test the client's deadline): the status and headers
   * after `headersAfterMs`, then a JSON body one byte at a time over `bodyMs`.
   */
  | { trickle: { status: number; headersAfterMs: number; bodyMs: number } }
  /**
   * Does the request's work as usual (Confirm Offer: books the offer and keeps the key as
   * answered; opt-out: accepts it as a 204 would; Create Offer: quotes; Get Booking: reads;
   * Cancel Booking: previews, or cancels; Confirm Cancellation: cancels) and then loses the
   * answer: destroys the socket, or never answers.
   */
  | { bookThen: "reset" | "hang" }

export type StandInRoute =
  | "opt_out"
  | "create_offer"
  | "confirm"
  | "get_booking"
  | "cancel"
  | "confirm_cancellation"

export type ReceivedRequest = {
  method: string
  /** As sent, query string included. */
  path: string
  /** Which API call the path named; null for a path (or method) the stand-in does not serve. */
  route: StandInRoute | null
  /**
   * The offer id in an opt-out or confirm path; for Cancel Booking and Confirm Cancellation the
   * offer id (`fast_quote_id`) of the booking in the path, when the stand-in has that booking
   * (else null). Always null for Create Offer and Get Booking; see `createdOfferId` for the
   * offer Create Offer created.
   */
  offerId: string | null
  /** The booking id in a Get Booking, Cancel Booking or Confirm Cancellation path, else null. */
  bookingId: string | null
  /**
   * True when this request (Cancel Booking without preview, or Confirm Cancellation) changed its
   * booking to CANCELLED, even if its answer was then lost (`bookThen`); else false.
   */
  cancelled: boolean
  /** Create Offer only: the id of the offer answered (200 from the stand-in's quoting), else null. */
  createdOfferId: string | null
  /** The request body parsed as JSON, or null when empty or not JSON. */
  body: unknown
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
  /**
   * The stand-in's own time for this request, in ms (`performance.now()`): from its arrival (the
   * handler called) to the answer's last byte handed to the OS. Null until answered (and for
   * hang / reset).
   */
  handledMs: number | null
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

/** What Confirm Offer needs of an offer: created by Create Offer, or registered with `knowOffer`. */
export type ConfirmableOffer = {
  currency: string
  quotes: { id: string; price: number; product_config_id?: string }[]
}

/** A booking as Confirm Offer answers it (and Get Booking, and a 409 replay). */
export type StandInBooking = {
  id: string
  /** CANCELLED once cancelled (by a request, or `cancelAtXcover`): never back to CONFIRMED. */
  status: "CONFIRMED" | "CANCELLED"
  currency: string
  total_price: number
  total_premium: number
  total_tax: number
  partner_transaction_id: string | null
  fast_quote_id: string
  pds_url: string
  coi: { url: string; pdf: string }
  fnol_link: string
  cancel_link: string
  quotes: StandInBookingQuote[]
  policyholder: Record<string, unknown>
  /** Once cancelled: the sum of the quotes' `refund_value`. */
  total_refund?: number
  /** Once cancelled: the same as `total_refund`. */
  refund_amount?: number
  /** Once cancelled: null (cancel-confirm-1); a preview's answer carries its id instead. */
  cancellation_id?: string | null
  /** Once cancelled: null (cancel-confirm-1); a preview's answer carries its deadline instead. */
  confirm_before?: string | null
}

export type StandInBookingQuote = {
  id: string
  status: "CONFIRMED" | "CANCELLED"
  price: number
  policy_start_date: string
  can_be_cancelled: boolean
  policy: { policy_name: string }
  /** Once cancelled: what is refunded of `price`. */
  refund_value?: number
  /** Once cancelled: `price - refund_value`. */
  adjustment_fee?: number
}

/**
 * A booking as Cancel Booking's preview answers it: as it would be once cancelled (CANCELLED,
 * totals 0, the refund: cancel-preview), with the cancellation to confirm. The stored booking is
 * unchanged.
 */
export type StandInCancellationPreview = StandInBooking & {
  status: "CANCELLED"
  total_refund: number
  refund_amount: number
  /** XCover's form: three groups of 5 mixed-case letters and digits, then `-CCL` (`BhYgC-mbRZe-Y53wL-CCL`). */
  cancellation_id: string
  /** ISO time, 24 h after the preview. */
  confirm_before: string
}

/** An offer the stand-in answered to Create Offer (200), as `createdOffers` keeps it. */
export type CreatedOffer = {
  id: string
  currency: string
  /** The request body that created it. */
  body: unknown
  quotes: { id: string; product_config_id: string; price: number }[]
}
