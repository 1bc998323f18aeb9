import type XcoverModuleService from "../../src/modules/xcover/service"
import { eventually } from "./eventually"
import type { Storefront } from "./storefront"

/** An order whose tent line was covered through the plugin (quoted, its first quote taken), its booking booked. */
export async function bookedOrder(shop: Storefront, xcover: () => XcoverModuleService) {
  const cartId = await shop.createCart()
  const tent = (await shop.cart(cartId)).items[0]
  const offer = (await shop.quote(cartId, tent.id)).data.xcover_offer
  await shop.select(cartId, offer.offer_id, { quote_id: offer.quotes[0].id })
  const orderId = await shop.complete(cartId)
  const booking = await eventually(async () => {
    const [b] = await xcover().listOrderBookings(orderId)
    expect(b?.status).toBe("booked")
    return b
  })
  return { orderId, offer, booking }
}
