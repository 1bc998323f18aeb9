/**
 * XCover's ids (offers, quotes, bookings, cancellations) travel in a URL path, so only a safe
 * alphabet is accepted: the Offers API's UUIDs, the `ABCDE-FGHIJ-INS` booking and quote-package
 * ids, and nothing that could change the path.
 */
export const XCOVER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

export const XCOVER_ID_RULE = "1 to 64 characters of A-Z, a-z, 0-9, _ and -"

export function isValidXcoverId(value: unknown): value is string {
  return typeof value === "string" && XCOVER_ID_PATTERN.test(value)
}

/** Most offers one cart may record; a re-quote mints a new id, so a few per cart is normal. */
export const MAX_OFFERS_PER_CART = 20
