import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { cancelXcoverBookingsWorkflow } from "../workflows/cancel-xcover-bookings"

/** An order was cancelled: every policy it booked is cancelled at XCover (once each). */
export default async function xcoverOrderCanceledHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  await cancelXcoverBookingsWorkflow(container).run({ input: { order_id: event.data.id, reason: "order_canceled" } })
}

export const config: SubscriberConfig = {
  event: "order.canceled",
  context: { subscriberId: "medusa-plugin-xcover-order-canceled" },
}
