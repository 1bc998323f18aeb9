import CartModule from "@medusajs/medusa/cart"
import { defineLink } from "@medusajs/framework/utils"
import XcoverModule from "../modules/xcover"

/**
 * The XCover offers recorded for a cart (`xcover_offer.cart_id`), read-only.
 * `query.graph({ entity: "cart", fields: ["xcover_offers.*"] })`.
 */
export default defineLink(
  { linkable: CartModule.linkable.cart, field: "id" },
  { ...XcoverModule.linkable.xcoverOffer.id, primaryKey: "cart_id" },
  { readOnly: true, isList: true }
)
