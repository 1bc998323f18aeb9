import OrderModule from "@medusajs/medusa/order"
import { defineLink } from "@medusajs/framework/utils"
import XcoverModule from "../modules/xcover"

/**
 * The XCover offers an order decided on, taken or declined (`xcover_offer.order_id`), read-only.
 * `query.graph({ entity: "order", fields: ["xcover_offers.*"] })`.
 */
export default defineLink(
  { linkable: OrderModule.linkable.order, field: "id" },
  { ...XcoverModule.linkable.xcoverOffer.id, primaryKey: "order_id" },
  { readOnly: true, isList: true }
)
