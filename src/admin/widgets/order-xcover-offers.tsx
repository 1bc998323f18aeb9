import { defineWidgetConfig } from "@medusajs/admin-sdk"
import { Container, Text } from "@medusajs/ui"
import { OrderOffersTable } from "../components/order-offers-table"
import { OrderPolicies } from "../components/order-policies"
import { ReconcileOrderHeader } from "../components/reconcile-order"
import { useXcoverBookings, useXcoverOffers } from "../lib/xcover-api"

/** The XCover policies of this order (with "Reconcile now"), its offers and what became of each. */
const OrderXcoverOffersWidget = ({ data: order }: { data: { id: string } }) => {
  const offers = useXcoverOffers({ order_id: order.id, limit: 100, offset: 0 })
  // The same query as OrderPolicies' (TanStack Query shares it): here only to know whether there is anything to show.
  const bookings = useXcoverBookings({
    order_id: order.id,
    limit: 100,
    offset: 0,
  })
  const settled =
    !offers.isLoading && !bookings.isLoading && !offers.error && !bookings.error
  if (
    settled &&
    !offers.data?.offers.length &&
    !bookings.data?.bookings.length
  ) {
    return null
  }
  return (
    <Container className="divide-y p-0" data-testid="xcover-order-widget">
      <ReconcileOrderHeader orderId={order.id} />
      <OrderPolicies orderId={order.id} />
      {offers.error ? (
        <Text className="px-6 py-4">
          Could not load the XCover offers: {offers.error.message}
        </Text>
      ) : (
        <OrderOffersTable offers={offers.data?.offers ?? []} />
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({ zone: "order.details.after" })

export default OrderXcoverOffersWidget
