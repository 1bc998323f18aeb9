import OrderModule from "@medusajs/medusa/order"
import { defineLink } from "@medusajs/framework/utils"
import XcoverModule from "../modules/xcover"

/**
 * An order's XCover policies (`xcover_booking.order_id`), read-only: no link table, the booking
 * row holds the order's id. `query.graph({ entity: "order", fields: ["xcover_bookings.*"] })`.
 */
export default defineLink(
  { linkable: OrderModule.linkable.order, field: "id" },
  { ...XcoverModule.linkable.xcoverBooking.id, primaryKey: "order_id" },
  { readOnly: true, isList: true }
)
