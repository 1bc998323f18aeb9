// An example, not part of the plugin: copy it to your store's src/subscribers/ to use it.
//
// The plugin moves no money. When XCover cancels a policy it computes a refund (`total_refund`);
// the premium was collected with the order, so the store pays it back. This subscriber does it
// with Medusa's own refund (the admin's "Refund" action): a refund of `total_refund` on a
// captured payment of the order, noted with the policy number.
//
// - order_canceled: nothing to do. Medusa's cancel-order workflow has already refunded every
//   captured payment in full, cover line included (and cancelled uncaptured ones).
// - returned / admin: refunds `total_refund`. A received return lists the cover line's whole
//   price as owed in the order's summary; this refund counts against it, and anything XCover
//   kept (`adjustment_fee`) stays for you to decide.
// - xcover (the shopper cancelled at XCover, reported by a webhook): not refunded here. XCover
//   signs a webhook's Date header, not its body: check the policy at XCover, then refund by hand.
import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import type { BigNumberInput } from "@medusajs/framework/types"
import { refundPaymentWorkflow } from "@medusajs/medusa/core-flows"

/** `xcover.booking.cancelled`'s data. */
type BookingCancelled = {
  /** This event's id: the same on every delivery (the plugin publishes at least once). */
  id: string
  order_id: string
  offer_id: string
  booking_id: string | null
  reason: "order_canceled" | "returned" | "admin" | "xcover"
  total_refund: number | null
  currency: string | null
  refund?: {
    id: string
    refund_value: number | null
    adjustment_fee: number | null
  }[]
}

type Payment = {
  id: string
  currency_code: string
  captures: { amount: BigNumberInput }[] | null
  refunds: { amount: BigNumberInput; note: string | null }[] | null
}
type Order = {
  id: string
  currency_code: string
  payment_collections: { payments: Payment[] | null }[] | null
}

export default async function xcoverRefund({
  event,
  container,
}: SubscriberArgs<BookingCancelled>) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const { id, order_id, booking_id, reason, total_refund, currency } =
    event.data
  if (reason === "order_canceled") {
    return
  }
  if (reason === "xcover") {
    logger.warn(
      `xcover refund: policy ${booking_id} (order ${order_id}) was cancelled at XCover; check it there, then refund ${total_refund ?? "?"} ${currency ?? ""} by hand`
    )
    return
  }
  if (!booking_id || total_refund === null || total_refund <= 0) {
    logger.warn(
      `xcover refund: nothing to refund for policy ${booking_id} (order ${order_id}): XCover's refund is ${total_refund}`
    )
    return
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: [
      "id",
      "currency_code",
      "payment_collections.payments.id",
      "payment_collections.payments.currency_code",
      "payment_collections.payments.captures.amount",
      "payment_collections.payments.refunds.amount",
      "payment_collections.payments.refunds.note",
    ],
    filters: { id: order_id },
  })
  const order = data[0] as Order | undefined
  if (!order) {
    return
  }
  if (
    currency &&
    order.currency_code.toUpperCase() !== currency.toUpperCase()
  ) {
    logger.warn(
      `xcover refund: policy ${booking_id} is in ${currency}, order ${order_id} in ${order.currency_code}; refund it by hand`
    )
    return
  }
  const note = `XCover policy ${booking_id} cancelled (${reason}), event ${id}`
  const payments = (order.payment_collections ?? []).flatMap(
    (c) => c.payments ?? []
  )
  // The same event twice (the plugin publishes at least once) must not refund twice: the refund
  // carries the event's id, and a repeat finds it.
  if (
    payments.some((p) =>
      (p.refunds ?? []).some((r) => r.note?.endsWith(`event ${id}`))
    )
  ) {
    return
  }
  const sum = (amounts: BigNumberInput[]) =>
    amounts.reduce<BigNumberInput>((a, b) => MathBN.add(a, b), 0)
  const refundable = (p: Payment) =>
    MathBN.sub(
      sum((p.captures ?? []).map((c) => c.amount)),
      sum((p.refunds ?? []).map((r) => r.amount))
    )
  const payment = payments.find((p) => MathBN.gte(refundable(p), total_refund))
  if (!payment) {
    logger.warn(
      `xcover refund: order ${order_id} has no captured payment with ${total_refund} ${order.currency_code} left to refund; refund policy ${booking_id} by hand`
    )
    return
  }
  await refundPaymentWorkflow(container).run({
    input: { payment_id: payment.id, amount: total_refund, note },
  })
  logger.info(
    `xcover refund: refunded ${total_refund} ${order.currency_code} of payment ${payment.id} for policy ${booking_id} (order ${order_id})`
  )
}

export const config: SubscriberConfig = {
  event: "xcover.booking.cancelled",
  context: { subscriberId: "xcover-refund" },
}
