import { Heading, Text } from "@medusajs/ui"
import { useXcoverBookings } from "../lib/xcover-api"
import { PolicyCard } from "./policy-card"

/** The policies (bookings) of an order's taken offers; nothing when it took none. */
export function OrderPolicies({ orderId }: { orderId: string }) {
  const { data, error } = useXcoverBookings({
    order_id: orderId,
    limit: 100,
    offset: 0,
  })
  const bookings = data?.bookings ?? []
  if (error) {
    return (
      <Text className="px-6 py-4">
        Could not load the XCover policies: {error.message}
      </Text>
    )
  }
  if (!bookings.length) {
    return null
  }
  return (
    <div className="divide-y" data-testid="xcover-order-policies">
      <div className="px-6 py-4">
        <Heading level="h3">Policies</Heading>
      </div>
      {bookings.map((b) => (
        <PolicyCard key={b.id} booking={b} />
      ))}
    </div>
  )
}
