import {
  existingBookingId,
  parseBooking,
  type XcoverBooking,
} from "../client/booking"
import { describeOutcome, resolveReplay } from "../client/outcome"
import { wakeCancellation } from "../ledger/cancellations"
import { recordEvent } from "../ledger/durable-events"
import { scheduleReadback } from "../ledger/readbacks"
import { completedStatus, type ClaimedOperation, type OutboxKind } from "./kind"
import { leasedRowMethods, claimRows, type LeasedTable } from "./leased-rows"
import { samePrice } from "../same-price"

export type ClaimedBooking = ClaimedOperation & {
  idempotencyKey: string
  request: Record<string, unknown>
  orderId: string
  chargedAmount: number | null
}

/** What became of a booking (its event, `xcover.booking.confirmed` / `.failed`, was written with it). */
export type BookingSettled =
  | {
      kind: "booking"
      status: "booked"
      offer_id: string
      order_id: string
      /** What the facts carry of the policy: never its links (they hold a security token). */
      booking: Pick<
        XcoverBooking,
        "booking_id" | "total_price" | "currency"
      > | null
      price_mismatch: boolean
      charged_amount: number | null
      /** The order was cancelled while this booking was on its way: its cancellation is due now. */
      cancellation_due: boolean
    }
  | {
      kind: "booking"
      status: "failed"
      offer_id: string
      order_id: string
      reason: string
    }

const BOOKINGS: LeasedTable = {
  table: "xcover_booking",
  deadlineBase: "decided_at",
  columns: [
    "offer_id",
    "order_id",
    "idempotency_key",
    "request",
    "charged_amount",
  ],
}

/**
 * Bookings: each taken offer's confirm call, exactly once, through the same dispatcher as
 * opt-outs (claims, shared rate budget, 429 pause, circuit, retries with the same key).
 * - 200: booked;
 * - 409 (a repeated key: XCover replays the key's first answer, captured live as
 *   idempotency-key-repeat): booked only when it carries a booking with an id; "Booking already
 *   exists" replayed: read as below; any other replayed refusal: failed with its reason;
 * - 422 "Booking already exists ... INS number: X" (in `errors`, captured live as
 *   confirm-repeat): the booking is read (Get Booking, its own slot) and kept (booked);
 * - 423, 429, 5xx, no answer: retried with the same key;
 * - 404 and other 4xx: failed, with XCover's reasons; retried by hand once the cause is fixed,
 *   with a new key (XCover keeps a refused key's refusal for 48 h).
 */
export const bookingKind: OutboxKind<ClaimedBooking> = {
  name: "booking",
  bucket: "offer",
  ...leasedRowMethods(BOOKINGS),

  async claim(db, input) {
    const rows = await claimRows(db, BOOKINGS, input)
    return rows.map((r) => ({
      id: r.id,
      subject: String(r.offer_id),
      orderId: String(r.order_id),
      idempotencyKey: String(r.idempotency_key),
      request: r.request as Record<string, unknown>,
      chargedAmount:
        r.charged_amount === null || r.charged_amount === undefined
          ? null
          : Number(r.charged_amount),
      leaseToken: input.leaseToken,
      deadline: r.deadline,
    }))
  },

  async send(client, settings, op, another) {
    const answer = await client.confirmOffer(
      settings,
      op.subject,
      op.request,
      op.idempotencyKey
    )
    const existing = existingBookingId(answer.outcome)
    if (!existing) {
      return resolveReplay(answer, (body) => parseBooking(body) !== null)
    }
    // Confirmed before without this key: booked. Its booking is what we keep (a Get Booking,
    // at a slot of the other calls' budget; not sent soon: the confirm is retried, 422 again).
    return another((c) => c.getBooking(settings, existing))
  },

  async complete(db, op, { outcome, body }, next) {
    const status = completedStatus(outcome, next)
    if (status === "done") {
      const booking = parseBooking(body)
      const mismatch =
        !!booking &&
        booking.total_price !== null &&
        op.chargedAmount !== null &&
        !samePrice(booking.total_price, op.chargedAmount)
      // The outcome and its event (`xcover.booking.confirmed`) commit together.
      const written = await db.transactional(async (tx) => {
        // Raw SQL: one conditional UPDATE … RETURNING (only while this lease token holds), so a process whose lease
        // lapsed writes nothing (the ORM would read, then write); times on the database clock (now()).
        const updated = await tx.execute(
          `UPDATE xcover_booking
             SET status = 'booked', last_status = ?, last_error = ?, next_attempt_at = NULL, lease_until = NULL, lease_token = NULL,
                 completed_at = now(), updated_at = now(),
                 booking_id = ?, booking_status = ?, currency = ?, total_price = ?, total_premium = ?, total_tax = ?, quotes = ?::jsonb,
                 coi_url = ?, coi_pdf = ?, pds_url = ?, fnol_link = ?, cancel_link = ?, price_mismatch = ?
             WHERE id = ? AND lease_token = ? AND status = 'sending'
             RETURNING id`,
          [
            outcome.status,
            booking ? null : "XCover's answer carried no booking id",
            booking?.booking_id ?? null,
            booking?.booking_status ?? null,
            booking?.currency ?? null,
            booking?.total_price ?? null,
            booking?.total_premium ?? null,
            booking?.total_tax ?? null,
            JSON.stringify(booking?.quotes ?? []),
            booking?.coi_url ?? null,
            booking?.coi_pdf ?? null,
            booking?.pds_url ?? null,
            booking?.fnol_link ?? null,
            booking?.cancel_link ?? null,
            mismatch,
            op.id,
            op.leaseToken,
          ]
        )
        if (!updated.length) {
          return null
        }
        await recordEvent(tx, "xcover.booking.confirmed", {
          order_id: op.orderId,
          offer_id: op.subject,
          booking_id: booking?.booking_id ?? null,
          price_mismatch: mismatch,
        })
        if (booking) {
          // XCover is read back on a schedule from now on: a cancellation made there is seen here.
          await scheduleReadback(tx, {
            booking_row_id: op.id,
            order_id: op.orderId,
          })
        }
        // The order may have been cancelled while this booking was on its way: that cancellation is due now.
        return { cancellationDue: await wakeCancellation(tx, op.id) }
      })
      if (!written) {
        return null
      }
      return {
        status: "done",
        settled: {
          kind: "booking",
          status: "booked",
          offer_id: op.subject,
          order_id: op.orderId,
          booking: booking && {
            booking_id: booking.booking_id,
            total_price: booking.total_price,
            currency: booking.currency,
          },
          price_mismatch: mismatch,
          charged_amount: op.chargedAmount,
          cancellation_due: written.cancellationDue,
        },
      }
    }
    const final = status !== "retrying"
    const reason = describeOutcome(outcome)
    const updated = await db.transactional(async (tx) => {
      // Raw SQL: one conditional UPDATE … RETURNING (only while this lease token holds), so a lapsed lease writes
      // nothing; times on the database clock (now()).
      const rows = await tx.execute(
        `UPDATE xcover_booking
           SET status = ?, last_status = ?, last_error = ?, next_attempt_at = ?, lease_until = NULL, lease_token = NULL,
               completed_at = ${final ? "now()" : "NULL"}, updated_at = now()
           WHERE id = ? AND lease_token = ? AND status = 'sending'
           RETURNING id`,
        [
          final ? "failed" : "retrying",
          outcome.status,
          reason,
          final ? null : next.nextAttemptAt,
          op.id,
          op.leaseToken,
        ]
      )
      if (rows.length && final) {
        await recordEvent(tx, "xcover.booking.failed", {
          order_id: op.orderId,
          offer_id: op.subject,
          reason,
        })
      }
      return rows.length > 0
    })
    if (!updated) {
      return null
    }
    return final
      ? {
          status,
          settled: {
            kind: "booking",
            status: "failed",
            offer_id: op.subject,
            order_id: op.orderId,
            reason,
          },
        }
      : { status }
  },
}
