import { BINDABLE_STATUSES } from "../ledger/offers"
import type { SqlExecutor } from "../sql"
import { BookingEntity, findRows, OfferEntity } from "../orm"

/** What recovery knows of a placed order: its cart and the offer ids the order names. */
export type OrderToCheck = {
  id: string
  cart_id: string
  metadata_offer_ids: string[]
  selected_offer_ids: string[]
}

/**
 * Orders the decision has not (fully) reached: their cart still has `shown` offers, a metadata
 * offer is missing from the ledger, or a bought offer could still be declined elsewhere. It
 * reads these orders' carts and offer ids only: offers of abandoned carts are never read.
 */
export async function findUndecidedOrders(
  em: SqlExecutor,
  orders: OrderToCheck[]
): Promise<{ order_ids: string[]; ledger_rows_read: number }> {
  if (!orders.length) {
    return { order_ids: [], ledger_rows_read: 0 }
  }
  const cartIds = [...new Set(orders.map((o) => o.cart_id))]
  const offerIds = [
    ...new Set(
      orders.flatMap((o) => [...o.metadata_offer_ids, ...o.selected_offer_ids])
    ),
  ]
  const rows = await findRows(
    em,
    OfferEntity,
    { $or: [{ cart_id: { $in: cartIds } }, { offer_id: { $in: offerIds } }] },
    ["offer_id", "cart_id", "status"]
  )
  const statusOf = new Map(rows.map((r) => [r.offer_id, r.status]))
  // Declined with its held booking: decided, though a line still names it (read only for bought
  // offers the decision would otherwise still move).
  const bindable = rows
    .filter(
      (r) => r.status !== "selected" && BINDABLE_STATUSES.includes(r.status)
    )
    .map((r) => r.offer_id)
  const declinedBookings = new Set(
    bindable.length
      ? (
          await findRows(
            em,
            BookingEntity,
            { offer_id: { $in: bindable }, status: "declined" },
            ["offer_id"]
          )
        ).map((b) => b.offer_id)
      : []
  )
  const cartsWithShown = new Set(
    rows.filter((r) => r.status === "shown").map((r) => r.cart_id)
  )
  const undecided = orders.filter(
    (order) =>
      cartsWithShown.has(order.cart_id) ||
      order.metadata_offer_ids.some((id) => !statusOf.has(id)) ||
      order.selected_offer_ids.some((id) => {
        const status = statusOf.get(id)
        return (
          status !== undefined &&
          status !== "selected" &&
          BINDABLE_STATUSES.includes(status) &&
          !declinedBookings.has(id)
        )
      })
  )
  return {
    order_ids: undecided.map((o) => o.id),
    ledger_rows_read: rows.length,
  }
}
