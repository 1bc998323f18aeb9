import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { recordCartMetadataOffersWorkflow } from "../workflows/record-cart-metadata-offers"

/**
 * Offers given through cart metadata join the ledger while the cart is open, as route offers
 * do, so the dispatch job can still decide them if the order's `order.placed` is lost.
 */
export default async function xcoverCartMetadataHandler({
  event,
  container,
}: SubscriberArgs<{ id: string }>) {
  await recordCartMetadataOffersWorkflow(container).run({
    input: { cart_id: event.data.id },
  })
}

export const config: SubscriberConfig = {
  event: ["cart.created", "cart.updated"],
  context: { subscriberId: "medusa-plugin-xcover-cart-metadata" },
}
