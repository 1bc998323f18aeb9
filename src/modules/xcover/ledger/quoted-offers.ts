import { MedusaError, generateEntityId } from "@medusajs/framework/utils"
import type { CreatedOffer, OfferContent, OfferQuote } from "../client/create-offer"
import type { OfferStatus } from "../models/xcover-offer"
import { MAX_OFFERS_PER_CART } from "../offer-id"
import { lockCartOffers, type SqlExecutor, type SqlManager } from "../sql"
import { countCartOffers, idempotencyKeyFor } from "./offers"

/** An offer the plugin quoted for one line of a cart, as the ledger keeps it. */
export type QuotedOffer = {
  offer_id: string
  cart_id: string
  line_item_id: string
  line_fingerprint: string
  status: OfferStatus
  currency: string
  quotes: OfferQuote[]
  content: OfferContent | null
  replaced_at: Date | null
  created_at: Date
}

const QUOTED_COLUMNS =
  "offer_id, cart_id, line_item_id, line_fingerprint, status, currency, quotes, content, replaced_at, created_at"

/** What makes a quote stale: the covered line's quantity or unit price changed since. */
export function lineFingerprint(line: { quantity: number; unit_price: number }): string {
  return `${Number(line.quantity)}x${Number(line.unit_price)}`
}

/** The newest offer still selectable for this line as it is now, if any: quoting it again costs nothing. */
export async function findReusableQuote(
  em: SqlExecutor,
  key: { cart_id: string; line_item_id: string; line_fingerprint: string }
): Promise<QuotedOffer | null> {
  const [row] = await em.execute(
    `SELECT ${QUOTED_COLUMNS} FROM xcover_offer
     WHERE cart_id = ? AND line_item_id = ? AND line_fingerprint = ? AND source = 'plugin_quote'
       AND status = 'shown' AND replaced_at IS NULL AND deleted_at IS NULL
     ORDER BY created_at DESC LIMIT 1`,
    [key.cart_id, key.line_item_id, key.line_fingerprint]
  )
  return (row as QuotedOffer | undefined) ?? null
}

export async function getQuotedOffer(em: SqlExecutor, offerId: string): Promise<(QuotedOffer & { source: string }) | null> {
  const [row] = await em.execute(`SELECT ${QUOTED_COLUMNS}, source FROM xcover_offer WHERE offer_id = ? AND deleted_at IS NULL`, [offerId])
  return (row as (QuotedOffer & { source: string }) | undefined) ?? null
}


/** Refuses a quote before XCover is asked when the cart already holds as many offers as it may. */
export async function assertRoomForOffer(em: SqlExecutor, cartId: string): Promise<void> {
  if ((await countCartOffers(em, cartId)) >= MAX_OFFERS_PER_CART) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `A cart can record at most ${MAX_OFFERS_PER_CART} XCover offers`)
  }
}

/**
 * Records an offer XCover just made for a line as `shown` (so it is opted out unless the order
 * takes it), and marks the line's earlier offers replaced: they stay recorded and count as
 * declined at order time, but can no longer be selected. Under the cart lock, within the cap.
 */
export async function recordQuotedOffer(
  manager: SqlManager,
  input: { cart_id: string; line_item_id: string; line_fingerprint: string; offer: CreatedOffer }
): Promise<QuotedOffer> {
  return manager.transactional(async (em) => {
    await lockCartOffers(em, input.cart_id)
    await assertRoomForOffer(em, input.cart_id)
    const { offer } = input
    await em.execute(
      `UPDATE xcover_offer SET replaced_at = now(), updated_at = now()
       WHERE cart_id = ? AND line_item_id = ? AND source = 'plugin_quote' AND replaced_at IS NULL AND deleted_at IS NULL`,
      [input.cart_id, input.line_item_id]
    )
    const [row] = await em.execute(
      `INSERT INTO xcover_offer (id, offer_id, cart_id, source, status, attempts, idempotency_key, line_item_id, line_fingerprint,
         currency, quotes, content, created_at, updated_at)
       VALUES (?, ?, ?, 'plugin_quote', 'shown', 0, ?, ?, ?, ?, ?::jsonb, ?::jsonb, now(), now())
       ON CONFLICT (offer_id) WHERE deleted_at IS NULL DO NOTHING
       RETURNING ${QUOTED_COLUMNS}`,
      [
        generateEntityId(undefined, "xco"),
        offer.offer_id,
        input.cart_id,
        idempotencyKeyFor(offer.offer_id),
        input.line_item_id,
        input.line_fingerprint,
        offer.currency,
        JSON.stringify(offer.quotes),
        offer.content ? JSON.stringify(offer.content) : null,
      ]
    )
    if (!row) {
      // XCover mints a fresh id per Create Offer: a clash means something else recorded it.
      throw new MedusaError(MedusaError.Types.CONFLICT, "XCover answered an offer id that is already recorded")
    }
    return row as QuotedOffer
  })
}
