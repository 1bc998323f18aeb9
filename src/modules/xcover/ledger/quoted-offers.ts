import { MedusaError, generateEntityId } from "@medusajs/framework/utils"
import type {
  CreatedOffer,
  OfferContent,
  OfferQuote,
} from "../client/create-offer"
import type { OfferStatus } from "../models/xcover-offer"
import { MAX_OFFERS_PER_CART } from "../xcover-id"
import type { SqlExecutor } from "../sql"
import { idempotencyKeyFor } from "./offers"
import { SETTINGS_VERSION_SQL } from "../settings/settings-store"
import {
  countQuoteCallSql,
  newQuoteBudgetId,
  quoteBudgetOf,
  type QuoteBudget,
} from "./quote-budget"

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
export function lineFingerprint(line: {
  quantity: number
  unit_price: number
}): string {
  return `${Number(line.quantity)}x${Number(line.unit_price)}`
}

/** What a quote reads of the ledger before deciding (and counts against the cart's limit), in one statement. */
export type QuoteLedgerState = {
  /** The newest offer still selectable for this line as it is now, if any: quoting it again costs nothing. */
  reusable: QuotedOffer | null
  /** Offers the cart holds (every source): at `MAX_OFFERS_PER_CART` XCover is not asked. */
  cart_offers: number
  /** The saved settings' version, so the settings cache is checked without a read of its own. */
  settings_version: string | null
  /**
   * The Create Offer call this quote is about to make, counted against the cart's limit per
   * minute; null when no call will be made (an offer to reuse, no room, no country) or no limit.
   */
  budget: QuoteBudget | null
}

/**
 * The reusable offer, the cart's offer count and the settings' version in one round trip, and,
 * when XCover is going to be asked (no offer to reuse, room left, `may_ask`), the call counted
 * against the cart's per-minute limit in the same statement. The count is a hint taken without
 * the cart lock (so XCover is not asked for an offer we could not keep).
 */
export async function readQuoteState(
  em: SqlExecutor,
  key: { cart_id: string; line_item_id: string; line_fingerprint: string },
  ask: { may_ask: boolean; limit_per_minute: number }
): Promise<QuoteLedgerState> {
  const counting = ask.may_ask && ask.limit_per_minute > 0
  // Raw SQL: LEFT JOIN LATERAL, sub-selects and a data-modifying CTE (the quote budget's INSERT … ON CONFLICT
  // DO UPDATE) in one statement.
  const [row] = await em.execute(
    `WITH state AS (
       SELECT (SELECT count(*)::int FROM xcover_offer WHERE cart_id = ? AND deleted_at IS NULL) AS cart_offers_,
         (${SETTINGS_VERSION_SQL}) AS settings_version_, q.*
       FROM (SELECT 1) AS one LEFT JOIN LATERAL (
         SELECT ${QUOTED_COLUMNS} FROM xcover_offer
         WHERE cart_id = ? AND line_item_id = ? AND line_fingerprint = ? AND source = 'plugin_quote'
           AND status = 'shown' AND replaced_at IS NULL AND deleted_at IS NULL
         ORDER BY created_at DESC LIMIT 1) AS q ON true),
     budget AS (${countQuoteCallSql(
       `SELECT ?, ?, now(), 1, now(), now() FROM state WHERE ?::boolean AND state.offer_id IS NULL AND state.cart_offers_ < ?`
     )})
     SELECT state.*, budget.* FROM state LEFT JOIN budget ON true`,
    [
      key.cart_id,
      key.cart_id,
      key.line_item_id,
      key.line_fingerprint,
      newQuoteBudgetId(),
      key.cart_id,
      counting,
      MAX_OFFERS_PER_CART,
    ]
  )
  const { cart_offers_, settings_version_, calls_, left_ms_, ...offer } =
    row ?? {}
  return {
    reusable: offer.offer_id ? (offer as QuotedOffer) : null,
    cart_offers: Number(cart_offers_ ?? 0),
    settings_version: (settings_version_ as string | null | undefined) ?? null,
    budget:
      calls_ === null || calls_ === undefined
        ? null
        : quoteBudgetOf({ calls_, left_ms_ }, ask.limit_per_minute),
  }
}

/** Refuses a quote when the cart already holds as many offers as it may. */
export function assertRoomForOffer(cartOffers: number): void {
  if (cartOffers >= MAX_OFFERS_PER_CART) {
    throw noRoomForOffer()
  }
}

const noRoomForOffer = () =>
  new MedusaError(
    MedusaError.Types.NOT_ALLOWED,
    `A cart can record at most ${MAX_OFFERS_PER_CART} XCover offers`
  )

/** What a quoted offer's readers need (read through the module's generated `listXcoverOffers`). */
export const QUOTED_OFFER_FIELDS = [
  "offer_id",
  "cart_id",
  "line_item_id",
  "line_fingerprint",
  "status",
  "currency",
  "quotes",
  "content",
  "replaced_at",
  "created_at",
  "source",
] as const

/**
 * Records an offer XCover just made for a line as `shown` (so it is opted out unless the order
 * takes it), and marks the line's earlier offers replaced: they stay recorded and count as
 * declined at order time, but can no longer be selected. One statement, no lock: an offer
 * XCover made is always recorded, even past the per-cart cap (checked before asking), because
 * an unrecorded offer would never be opted out. Two quotes of one line at once may both stay
 * selectable; the newer is the one a quote reuses, and the order declines whichever it did not take.
 */
export async function recordQuotedOffer(
  em: SqlExecutor,
  input: {
    cart_id: string
    line_item_id: string
    line_fingerprint: string
    offer: CreatedOffer
  }
): Promise<QuotedOffer> {
  const { offer } = input
  // Raw SQL: data-modifying CTEs: INSERT … ON CONFLICT DO NOTHING and, only when it inserted, the line's
  // older offers marked replaced, in one statement.
  const [row] = await em.execute(
    `WITH inserted AS (
       INSERT INTO xcover_offer (id, offer_id, cart_id, source, status, attempts, idempotency_key, line_item_id, line_fingerprint,
         currency, quotes, content, created_at, updated_at)
       VALUES (?, ?, ?, 'plugin_quote', 'shown', 0, ?, ?, ?, ?, ?::jsonb, ?::jsonb, now(), now())
       ON CONFLICT (offer_id) WHERE deleted_at IS NULL DO NOTHING
       RETURNING ${QUOTED_COLUMNS}),
     replaced AS (
       UPDATE xcover_offer SET replaced_at = now(), updated_at = now()
       WHERE cart_id = ? AND line_item_id = ? AND offer_id <> ? AND source = 'plugin_quote' AND replaced_at IS NULL AND deleted_at IS NULL
         AND EXISTS (SELECT 1 FROM inserted))
     SELECT * FROM inserted`,
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
      input.cart_id,
      input.line_item_id,
      offer.offer_id,
    ]
  )
  if (!row) {
    // XCover mints a fresh id per Create Offer: a clash means something else recorded it (the
    // line's earlier offers stay as they were).
    throw new MedusaError(
      MedusaError.Types.CONFLICT,
      "XCover answered an offer id that is already recorded"
    )
  }
  return row as QuotedOffer
}
