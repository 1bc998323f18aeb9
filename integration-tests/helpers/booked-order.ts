import type XcoverModuleService from "../../src/modules/xcover/service"
import { eventually } from "./eventually"
import type { Storefront } from "./storefront"

/** An order whose tent line was covered through the plugin (quoted, its first quote taken), its booking booked. */
export async function bookedOrder(
  shop: Storefront,
  xcover: () => XcoverModuleService
) {
  const { orderId, offer } = await shop.orderCovered()
  const booking = await eventually(async () => {
    const [b] = await xcover().listOrderBookings(orderId)
    expect(b?.status).toBe("booked")
    return b
  })
  return { orderId, offer, booking }
}
