import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { reconcileXcoverOrdersWorkflow } from "../workflows/reconcile-xcover-orders"

/** The events that name an order by `id`; the others (returns, claims, exchanges, edits) by `order_id`. */
type OrderEvent = { id?: string; order_id?: string }

/**
 * Every order event that can change what XCover must hold only nudges the reconciler for its
 * order: placed (the decision: book the taken offers, opt out the declined), cancelled, a return
 * received (claims and exchanges take lines back through one), an edit confirmed. Runs after
 * checkout has answered, so it never delays or fails one; a lost event is found by the
 * reconciler's pass over changed orders.
 */
export default async function xcoverOrderReconcileHandler({
  event,
  container,
}: SubscriberArgs<OrderEvent>) {
  const orderId = event.data.order_id ?? event.data.id
  if (orderId) {
    await reconcileXcoverOrdersWorkflow(container).run({
      input: { order_ids: [orderId] },
    })
  }
}

export const config: SubscriberConfig = {
  event: [
    "order.placed",
    "order.canceled",
    "order.return_received",
    "order.claim_created",
    "order.exchange_created",
    "order-edit.confirmed",
  ],
  context: { subscriberId: "medusa-plugin-xcover-order-reconcile" },
}
