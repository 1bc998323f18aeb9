import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { optOutDeclinedOffersWorkflow } from "../workflows/opt-out-declined-offers"

/**
 * Runs after checkout has answered (events are released once the order exists), so it never
 * delays or fails a checkout. Anything left unsent is picked up by the dispatch job.
 */
export default async function xcoverOrderPlacedHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  await optOutDeclinedOffersWorkflow(container).run({ input: { order_id: event.data.id } })
}

export const config: SubscriberConfig = {
  event: "order.placed",
  context: { subscriberId: "medusa-plugin-xcover-order-placed" },
}
