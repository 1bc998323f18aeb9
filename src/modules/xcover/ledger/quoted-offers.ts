import { MedusaError, generateEntityId } from "@medusajs/framework/utils"
import type { CreatedOffer, OfferContent, OfferQuote } from "../client/create-offer"
import type { OfferStatus } from "../models/xcover-offer"
import { MAX_OFFERS_PER_CART } from "../offer-id"
import { lockCartOffers, type SqlExecutor, type SqlManager } from "../sql"
import { idempotencyKeyFor } from "./offers"
import { SETTINGS_VERSION_SQL } from "../settings/settings-store"

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

/** What a quote reads of the ledger before deciding, in one statement. */
export type QuoteLedgerState = {
  /** The newest offer still selectable for this line as it is now, if any: quoting it again costs nothing. */
  reusable: QuotedOffer | null
  /** Offers the cart holds (every source): at `MAX_OFFERS_PER_CART` XCover is not asked. */
  cart_offers: number
  /** The saved settings' version, so the settings cache is checked without a read of its own. */
  settings_version: string | null
}

/**
 * The reusable offer, the cart's offer count and the settings' version in one round trip. The
 * count is a hint taken without the cart lock (so XCover is not asked for an offer we could not
 * keep); `recordQuotedOffer` enforces the cap under the lock.
 */
export async function readQuoteState(
  em: SqlExecutor,
  key: { cart_id: string; line_item_id: string; line_fingerprint: string }
): Promise<QuoteLedgerState> {
  const [row] = await em.execute(
    `SELECT (SELECT count(*)::int FROM xcover_offer WHERE cart_id = ? AND deleted_at IS NULL) AS cart_offers_,
       (${SETTINGS_VERSION_SQL}) AS settings_version_, q.*
     FROM (SELECT 1) AS one LEFT JOIN LATERAL (
       SELECT ${QUOTED_COLUMNS} FROM xcover_offer
       WHERE cart_id = ? AND line_item_id = ? AND line_fingerprint = ? AND source = 'plugin_quote'
         AND status = 'shown' AND replaced_at IS NULL AND deleted_at IS NULL
       ORDER BY created_at DESC LIMIT 1) AS q ON true`,
    [key.cart_id, key.cart_id, key.line_item_id, key.line_fingerprint]
  )
  const { cart_offers_, settings_version_, ...offer } = row ?? {}
  return {
    reusable: offer.offer_id ? (offer as QuotedOffer) : null,
    cart_offers: Number(cart_offers_ ?? 0),
    settings_version: (settings_version_ as string | null | undefined) ?? null,
  }
}

/** Refuses a quote when the cart already holds as many offers as it may. */
export function assertRoomForOffer(cartOffers: number): void {
  if (cartOffers >= MAX_OFFERS_PER_CART) {
    throw noRoomForOffer()
  }
}

const noRoomForOffer = () => new MedusaError(MedusaError.Types.NOT_ALLOWED, `A cart can record at most ${MAX_OFFERS_PER_CART} XCover offers`)

export async function getQuotedOffer(em: SqlExecutor, offerId: string): Promise<(QuotedOffer & { source: string }) | null> {
  const [row] = await em.execute(`SELECT ${QUOTED_COLUMNS}, source FROM xcover_offer WHERE offer_id = ? AND deleted_at IS NULL`, [offerId])
  return (row as (QuotedOffer & { source: string }) | undefined) ?? null
}

/**
 * Records an offer XCover just made for a line as `shown` (so it is opted out unless the order
 * takes it), and marks the line's earlier offers replaced: they stay recorded and count as
 * declined at order time, but can no longer be selected. Under the cart lock, within the cap.
 * Two statements in the transaction: the lock, then the cap check, the update and the insert in
 * one (a statement's snapshot is taken when it starts, so the count must come after the lock's
 * statement to see every offer committed before it).
 */
export async function recordQuotedOffer(
  manager: SqlManager,
  input: { cart_id: string; line_item_id: string; line_fingerprint: string; offer: CreatedOffer }
): Promise<QuotedOffer> {
  return manager.transactional(async (em) => {
    await lockCartOffers(em, input.cart_id)
    const { offer } = input
    const [row] = await em.execute(
      `WITH room AS (SELECT count(*) < ? AS ok FROM xcover_offer WHERE cart_id = ? AND deleted_at IS NULL),
       replaced AS (
         UPDATE xcover_offer SET replaced_at = now(), updated_at = now()
         WHERE cart_id = ? AND line_item_id = ? AND source = 'plugin_quote' AND replaced_at IS NULL AND deleted_at IS NULL
           AND (SELECT ok FROM room)),
       inserted AS (
         INSERT INTO xcover_offer (id, offer_id, cart_id, source, status, attempts, idempotency_key, line_item_id, line_fingerprint,
           currency, quotes, content, created_at, updated_at)
         SELECT ?, ?, ?, 'plugin_quote', 'shown', 0, ?, ?, ?, ?, ?::jsonb, ?::jsonb, now(), now() WHERE (SELECT ok FROM room)
         ON CONFLICT (offer_id) WHERE deleted_at IS NULL DO NOTHING
         RETURNING ${QUOTED_COLUMNS})
       SELECT (SELECT ok FROM room) AS room_, inserted.* FROM (SELECT 1) AS one LEFT JOIN inserted ON true`,
      [
        MAX_OFFERS_PER_CART,
        input.cart_id,
        input.cart_id,
        input.line_item_id,
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
    const { room_, ...recorded } = row ?? {}
    if (!room_) {
      throw noRoomForOffer()
    }
    if (!recorded.offer_id) {
      // XCover mints a fresh id per Create Offer: a clash means something else recorded it (the
      // transaction rolls back, so the line's earlier offers stay as they were).
      throw new MedusaError(MedusaError.Types.CONFLICT, "XCover answered an offer id that is already recorded")
    }
    return recorded as QuotedOffer
  })
}
