import { MedusaError, generateEntityId } from "@medusajs/framework/utils"
import type { OfferSource, OfferStatus } from "../models/xcover-offer"
import { MAX_OFFERS_PER_CART } from "../xcover-id"
import { statusesInto } from "../statuses"
import { lockCartOffers, type SqlExecutor, type SqlManager } from "../sql"
import { insertBookings, type BookingInput } from "./bookings"
import { samePrice } from "../same-price"
import { findRows, OfferEntity } from "../orm"

/** A recorded offer as the store API shows it. */
export type RecordedOffer = {
  offer_id: string
  cart_id: string
  status: OfferStatus
  source: OfferSource
  created_at: Date
}

export type OrderOffersInput = {
  order_id: string
  cart_id: string
  /** When the order was placed (`order.created_at`): the offers' `declined_at`. */
  placed_at: Date
  /** Offer ids from `cart.metadata.xcover_offer_ids`, already validated and capped. */
  metadata_offer_ids: string[]
  /**
   * Offer ids referenced by a line item's `metadata.xcover_offer_id`: bought, never opted out,
   * for offers a storefront created itself. An offer the plugin quoted is bought only through
   * its cover line (`cover_lines`).
   */
  selected_offer_ids: string[]
  /** The order's lines without a variant that name an offer and a quote: the plugin's cover lines. */
  cover_lines?: CoverLine[]
  /** Present when taken offers are to be booked (plugin option `booking`). */
  booking?: BookingInput | null
}

/** A line the plugin added for a selected quote, as the order holds it. */
export type CoverLine = {
  offer_id: string
  quote_id: string
  unit_price: number
}

export type OrderOffersResult = {
  declined: string[]
  selected: string[]
  /** Metadata offer ids skipped because another cart recorded them (and this order did not buy them). */
  foreign: string[]
  /** Bought offer ids another order had already declined and sent (or is sending): too late to keep. */
  already_sent: string[]
  /**
   * Plugin-quoted offers a line names without being their cover line at the quoted price (say,
   * metadata a shopper set on another item): not bought, so declined like any other.
   */
  not_taken?: string[]
  /** Taken offers whose booking this decision wrote (pending, or failed for want of a quote id). */
  bookings?: string[]
  /** Of those, the ones failed at once (no quote id to confirm): the merchant must see them. */
  bookings_failed?: string[]
  /** Of those, the ones held for the merchant's review (`storefrontOfferBooking: "hold_for_review"`). */
  bookings_held?: string[]
}

/**
 * Statuses a bought offer is taken back from, whichever cart recorded it: nothing reached
 * XCover yet (or it failed and would only be sent again by hand). `sending` and `opted_out`
 * are past the point of no return.
 */
export const BINDABLE_STATUSES: readonly OfferStatus[] =
  statusesInto("selected")

/** What a cart's offers list shows of each . */
export const RECORDED_OFFER_FIELDS = [
  "offer_id",
  "cart_id",
  "status",
  "source",
  "created_at",
] as const

const RECORDED_COLUMNS = RECORDED_OFFER_FIELDS.join(", ")

/** One stable idempotency key per offer, the same on every try and every process. */
export function idempotencyKeyFor(offerId: string): string {
  return `medusa-xcover-opt-out-${offerId}`
}

function placeholders(values: readonly unknown[]): string {
  return values.length ? values.map(() => "?").join(",") : "NULL"
}

/** Adds an offer as `shown`; null when the offer id is already recorded (by any cart). */
export async function insertShownOffer(
  em: SqlExecutor,
  row: { offer_id: string; cart_id: string; source: OfferSource }
): Promise<RecordedOffer | null> {
  // Raw SQL: INSERT … ON CONFLICT DO NOTHING RETURNING: an offer id another cart records at the same moment
  // is kept once (null here).
  const [created] = await em.execute(
    `INSERT INTO xcover_offer (id, offer_id, cart_id, source, status, attempts, idempotency_key, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'shown', 0, ?, now(), now())
     ON CONFLICT (offer_id) WHERE deleted_at IS NULL DO NOTHING
     RETURNING ${RECORDED_COLUMNS}`,
    [
      generateEntityId(undefined, "xco"),
      row.offer_id,
      row.cart_id,
      row.source,
      idempotencyKeyFor(row.offer_id),
    ]
  )
  return (created as RecordedOffer | undefined) ?? null
}

export async function countCartOffers(
  em: SqlExecutor,
  cartId: string
): Promise<number> {
  return em.count(OfferEntity, { cart_id: cartId })
}

/**
 * Inserts offers for a cart in the given order until the cart holds MAX_OFFERS_PER_CART. The
 * caller holds the cart lock, so the count cannot change underneath. Returns the ids added.
 */
async function insertWithinCap(
  em: SqlExecutor,
  cartId: string,
  rows: { offer_id: string; source: OfferSource }[]
): Promise<string[]> {
  let count = await countCartOffers(em, cartId)
  const added: string[] = []
  for (const row of rows) {
    if (count >= MAX_OFFERS_PER_CART) {
      break
    }
    if (await insertShownOffer(em, { ...row, cart_id: cartId })) {
      added.push(row.offer_id)
      count++
    }
  }
  return added
}

/**
 * Records that an offer was shown for a cart (idempotent per offer id). Serialised per cart
 * with an advisory lock so that the per-cart limit holds under concurrent requests.
 */
export async function recordShownOffer(
  manager: SqlManager,
  input: { cart_id: string; offer_id: string }
): Promise<{ offer: RecordedOffer; created: boolean }> {
  return manager.transactional(async (em) => {
    await lockCartOffers(em, input.cart_id)
    const [existing] = await findRows(
      em,
      OfferEntity,
      { offer_id: input.offer_id },
      RECORDED_OFFER_FIELDS
    )
    if (existing) {
      if (existing.cart_id !== input.cart_id) {
        throw new MedusaError(
          MedusaError.Types.CONFLICT,
          "offer_id is already recorded for another cart"
        )
      }
      return { offer: existing, created: false }
    }
    if ((await countCartOffers(em, input.cart_id)) >= MAX_OFFERS_PER_CART) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `A cart can record at most ${MAX_OFFERS_PER_CART} XCover offers`
      )
    }
    const created = await insertShownOffer(em, {
      ...input,
      source: "store_route",
    })
    if (!created) {
      // Another cart recorded the same id in the meantime.
      throw new MedusaError(
        MedusaError.Types.CONFLICT,
        "offer_id is already recorded for another cart"
      )
    }
    return { offer: created, created: true }
  })
}

/**
 * Records offers a storefront put in `cart.metadata.xcover_offer_ids` while the cart is still
 * open, under the same cart lock and per-cart cap as the store route. Ids another cart recorded,
 * and ids beyond the cap, are left out. Returns the ids added.
 */
export async function recordMetadataOffers(
  manager: SqlManager,
  cartId: string,
  offerIds: string[]
): Promise<string[]> {
  return manager.transactional(async (em) => {
    await lockCartOffers(em, cartId)
    return insertWithinCap(
      em,
      cartId,
      offerIds.map((offer_id) => ({ offer_id, source: "cart_metadata" }))
    )
  })
}

/**
 * The order-placement decision, made once per offer, in one transaction under the cart lock:
 * 1. offers only known from metadata or a line item join the ledger (within the per-cart cap);
 * 2. every offer a line item names becomes `selected` for this order, whichever cart recorded
 *    it, as long as no opt-out has gone out for it;
 * 3. every other offer still `shown` for the cart becomes `pending` (the outbox), declined at
 *    the order's placement time.
 * Only rows in the expected states move, so a repeated `order.placed` changes nothing and a
 * bought offer can never turn into a declined one.
 */
export async function recordOrderOffers(
  manager: SqlManager,
  input: OrderOffersInput
): Promise<OrderOffersResult> {
  const named = [...new Set(input.selected_offer_ids)]
  const metadata = [...new Set(input.metadata_offer_ids)]
  return manager.transactional(async (em) => {
    await lockCartOffers(em, input.cart_id)
    const { selected, takenQuotes, notTaken } = await takenOffers(
      em,
      input,
      named
    )
    const bought = new Set(selected)
    // Metadata first: an unrecorded declined offer is never opted out, an unrecorded bought one costs nothing.
    await insertWithinCap(em, input.cart_id, [
      ...metadata.map((offer_id) => ({
        offer_id,
        source: "cart_metadata" as const,
      })),
      ...named
        .filter((id) => !metadata.includes(id))
        .map((offer_id) => ({ offer_id, source: "line_item" as const })),
    ])
    // Bought anywhere means never opted out: the row may belong to another cart, whose own
    // decision then finds it no longer `shown`.
    // An offer whose held booking was declined stays declined, though its line still names it.
    // Raw SQL: one conditional UPDATE … RETURNING (bindable, no declined booking: NOT EXISTS): the row may be
    // outside this cart's lock, so a race with another decision or the dispatcher has one winner.
    const selectedRows = await em.execute(
      `UPDATE xcover_offer
       SET status = 'selected', order_id = ?, completed_at = now(), declined_at = NULL, next_attempt_at = NULL, updated_at = now()
       WHERE offer_id IN (${placeholders(selected)}) AND status IN (${placeholders(BINDABLE_STATUSES)}) AND deleted_at IS NULL
         AND NOT EXISTS (
           SELECT 1 FROM xcover_booking b WHERE b.offer_id = xcover_offer.offer_id AND b.status = 'declined' AND b.deleted_at IS NULL)
       RETURNING offer_id`,
      [input.order_id, ...selected, ...BINDABLE_STATUSES]
    )
    for (const [offerId, quoteId] of takenQuotes) {
      await em.nativeUpdate(
        OfferEntity,
        { offer_id: offerId, order_id: input.order_id, status: "selected" },
        { taken_quote_id: quoteId }
      )
    }
    // Both branches in one transaction: the bookings of what this order took, with its opt-outs.
    const {
      written: bookings,
      failed: bookingsFailed,
      held: bookingsHeld,
    } = input.booking
      ? await insertBookings(
          em,
          {
            order_id: input.order_id,
            cart_id: input.cart_id,
            placed_at: input.placed_at,
            booking: input.booking,
          },
          selectedRows.map((r) => ({
            offer_id: String(r.offer_id),
            quote_id: takenQuotes.get(String(r.offer_id)) ?? null,
          }))
        )
      : { written: [], failed: [], held: [] }
    const alreadySentRows = await findRows(
      em,
      OfferEntity,
      {
        offer_id: { $in: selected },
        status: { $in: ["sending", "opted_out"] },
      },
      ["offer_id"]
    )
    // Raw SQL: one conditional UPDATE … RETURNING (still `shown`): an offer another cart's order buys at the
    // same moment (outside this cart's lock) is selected or declined, never both.
    const declinedRows = await em.execute(
      `UPDATE xcover_offer SET status = 'pending', order_id = ?, declined_at = ?, next_attempt_at = now(), updated_at = now()
       WHERE cart_id = ? AND status = 'shown' AND deleted_at IS NULL
       RETURNING offer_id`,
      [input.order_id, input.placed_at, input.cart_id]
    )
    const notBought = metadata.filter((id) => !bought.has(id))
    const foreignRows = await findRows(
      em,
      OfferEntity,
      { offer_id: { $in: notBought }, cart_id: { $ne: input.cart_id } },
      ["offer_id"]
    )
    const ids = (rows: { offer_id?: unknown }[]) =>
      rows.map((r) => String(r.offer_id))
    return {
      declined: ids(declinedRows),
      selected: ids(selectedRows),
      foreign: ids(foreignRows),
      already_sent: ids(alreadySentRows),
      not_taken: notTaken,
      bookings,
      bookings_failed: bookingsFailed,
      bookings_held: bookingsHeld,
    }
  })
}

/**
 * Which named offers the order bought. A storefront's own offer is bought when a line names it;
 * an offer the plugin quoted only through its cover line for this cart, at the recorded price
 * of the quote the line names.
 */
async function takenOffers(
  em: SqlExecutor,
  input: OrderOffersInput,
  named: string[]
): Promise<{
  selected: string[]
  takenQuotes: Map<string, string>
  notTaken: string[]
}> {
  const candidates = [
    ...new Set([...named, ...(input.cover_lines ?? []).map((l) => l.offer_id)]),
  ]
  const quotedRows = await findRows(
    em,
    OfferEntity,
    { offer_id: { $in: candidates }, source: "plugin_quote" },
    ["offer_id", "cart_id", "quotes"]
  )
  const quoted = new Map(
    quotedRows.map((r) => [
      r.offer_id,
      {
        cart_id: r.cart_id,
        quotes: r.quotes as { id: string; price: number }[] | null,
      },
    ])
  )
  const takenQuotes = new Map<string, string>()
  for (const line of input.cover_lines ?? []) {
    const row = quoted.get(line.offer_id)
    const quote = row?.quotes?.find((q) => q.id === line.quote_id)
    if (
      row &&
      row.cart_id === input.cart_id &&
      quote &&
      samePrice(quote.price, line.unit_price)
    ) {
      takenQuotes.set(line.offer_id, line.quote_id)
    }
  }
  const selected = [
    ...named.filter((id) => !quoted.has(id)),
    ...takenQuotes.keys(),
  ]
  const notTaken = named.filter((id) => quoted.has(id) && !takenQuotes.has(id))
  return { selected: [...new Set(selected)], takenQuotes, notTaken }
}
