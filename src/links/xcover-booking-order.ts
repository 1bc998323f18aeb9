import OrderModule from "@medusajs/medusa/order"
import { defineLink } from "@medusajs/framework/utils"
import XcoverModule from "../modules/xcover"

/** A policy's order (`xcover_booking.order_id`), read-only: `query.graph({ entity: "xcover_booking", fields: ["order.*"] })`. */
export default defineLink(
  { linkable: XcoverModule.linkable.xcoverBooking, field: "order_id" },
  OrderModule.linkable.order,
  { readOnly: true }
)
