import { BINDABLE_STATUSES } from "../ledger/offers"
import type { OfferStatus } from "../models/xcover-offer"
import type { SqlExecutor } from "../sql"

/** What recovery knows of a placed order: its cart and the offer ids the order names. */
export type OrderToCheck = {
  id: string
  cart_id: string
  metadata_offer_ids: string[]
  selected_offer_ids: string[]
}

/**
 * Orders the decision has not (fully) reached: their cart still has `shown` offers, a metadata
 * offer is missing from the ledger, or a bought offer could still be declined elsewhere. One
 * query over these orders' carts and offer ids only: offers of abandoned carts are never read.
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
  // TODO(item 3): plain read/write, to move to the module's generated methods
  const rows = await em.execute(
    `SELECT o.offer_id, o.cart_id, o.status,
       EXISTS (SELECT 1 FROM xcover_booking b WHERE b.offer_id = o.offer_id AND b.status = 'declined' AND b.deleted_at IS NULL) AS declined_booking
     FROM xcover_offer o
     WHERE o.deleted_at IS NULL AND (o.cart_id IN (${cartIds.map(() => "?").join(",")})
       ${offerIds.length ? `OR o.offer_id IN (${offerIds.map(() => "?").join(",")})` : ""})`,
    [...cartIds, ...offerIds]
  )
  const statusOf = new Map(
    rows.map((r) => [String(r.offer_id), String(r.status) as OfferStatus])
  )
  // Declined with its held booking: decided, though a line still names it.
  const declinedBookings = new Set(
    rows.filter((r) => r.declined_booking).map((r) => String(r.offer_id))
  )
  const cartsWithShown = new Set(
    rows.filter((r) => r.status === "shown").map((r) => String(r.cart_id))
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
