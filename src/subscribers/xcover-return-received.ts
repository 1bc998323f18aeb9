import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { cancelXcoverBookingsWorkflow } from "../workflows/cancel-xcover-bookings"

/** A return was received: the policies whose cover line came back are cancelled at XCover. */
export default async function xcoverReturnReceivedHandler({ event, container }: SubscriberArgs<{ order_id: string; return_id: string }>) {
  await cancelXcoverBookingsWorkflow(container).run({
    input: { order_id: event.data.order_id, return_id: event.data.return_id, reason: "returned" },
  })
}

export const config: SubscriberConfig = {
  event: "order.return_received",
  context: { subscriberId: "medusa-plugin-xcover-return-received" },
}
