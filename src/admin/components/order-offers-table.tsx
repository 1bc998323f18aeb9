import { Heading, Table } from "@medusajs/ui"
import type { XcoverOffer } from "../lib/xcover-api"
import { formatTime, OfferStatusBadge } from "./offer-status-badge"

/** An order's offers and what became of each (taken, opted out, ...). */
export function OrderOffersTable({ offers }: { offers: XcoverOffer[] }) {
  if (!offers.length) {
    return null
  }
  return (
    <div>
      <div className="px-6 py-4">
        <Heading level="h3">Offers</Heading>
      </div>
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
              <Table.Cell className="font-mono text-xs">
                {o.offer_id}
              </Table.Cell>
              <Table.Cell>
                <OfferStatusBadge status={o.status} />
              </Table.Cell>
              <Table.Cell>{o.attempts}</Table.Cell>
              <Table.Cell className="max-w-xs truncate">
                {o.last_error ?? "–"}
              </Table.Cell>
              <Table.Cell>{formatTime(o.completed_at)}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </div>
  )
}
