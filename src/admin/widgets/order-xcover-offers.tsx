import { defineWidgetConfig } from "@medusajs/admin-sdk"
import { Container, Heading, Table, Text } from "@medusajs/ui"
import { formatTime, OfferStatusBadge } from "../components/offer-status-badge"
import { useXcoverOffers } from "../lib/xcover-api"

/** The XCover offers of this order and what became of each. */
const OrderXcoverOffersWidget = ({ data: order }: { data: { id: string } }) => {
  const { data, isLoading, error } = useXcoverOffers({ order_id: order.id, limit: 100, offset: 0 })
  const offers = data?.offers ?? []
  if (!isLoading && !error && offers.length === 0) {
    return null
  }
  return (
    <Container className="divide-y p-0" data-testid="xcover-order-widget">
      <div className="px-6 py-4">
        <Heading level="h2">XCover insurance offers</Heading>
      </div>
      {error ? (
        <Text className="px-6 py-4">Could not load the XCover offers: {error.message}</Text>
      ) : (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Offer</Table.HeaderCell>
              <Table.HeaderCell>Outcome</Table.HeaderCell>
              <Table.HeaderCell>Attempts</Table.HeaderCell>
              <Table.HeaderCell>Last error</Table.HeaderCell>
              <Table.HeaderCell>Done</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {offers.map((o) => (
              <Table.Row key={o.id} data-offer-id={o.offer_id}>
                <Table.Cell className="font-mono text-xs">{o.offer_id}</Table.Cell>
                <Table.Cell>
                  <OfferStatusBadge status={o.status} />
                </Table.Cell>
                <Table.Cell>{o.attempts}</Table.Cell>
                <Table.Cell className="max-w-xs truncate">{o.last_error ?? "–"}</Table.Cell>
                <Table.Cell>{formatTime(o.completed_at)}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({ zone: "order.details.after" })

export default OrderXcoverOffersWidget
