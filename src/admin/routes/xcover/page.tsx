import { defineRouteConfig } from "@medusajs/admin-sdk"
import { ShieldCheck } from "@medusajs/icons"
import { Container, Heading, Input, Label, Text, Toaster } from "@medusajs/ui"
import { useState } from "react"
import { BookingLog } from "../../components/booking-log"
import { KindFilter, type LogKind } from "../../components/kind-filter"
import {
  BookingFigures,
  OfferFigures,
  ReconcilerFigures,
} from "../../components/log-figures"
import { OptOutLog } from "../../components/opt-out-log"
import { SalesReport } from "../../components/sales-report"
import { dayRange } from "../../lib/xcover-api"

/** What the plugin did with every offer: opt-outs of declined ones, bookings (and cancellations) of taken ones. */
const XcoverLogPage = () => {
  const [kind, setKind] = useState<LogKind>("all")
  const [from, setFrom] = useState("")
  const [to, setTo] = useState("")
  const range = dayRange(from, to)

  return (
    <div className="flex flex-col gap-y-3">
      <Toaster />
      <Container className="flex flex-col gap-y-4">
        <div>
          <Heading level="h1">XCover opt-outs and bookings</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Declined offers are opted out at XCover; taken offers are booked as
            policies, and cancelled when their order is cancelled, the cover
            returned, or by hand on the order page.
          </Text>
        </div>
        <div className="flex flex-wrap items-end gap-4">
          <div className="flex flex-col gap-y-1">
            <Label htmlFor="xcover-from">Recorded from</Label>
            <Input
              id="xcover-from"
              type="date"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
            />
          </div>
          <div className="flex flex-col gap-y-1">
            <Label htmlFor="xcover-to">to</Label>
            <Input
              id="xcover-to"
              type="date"
              value={to}
              onChange={(e) => setTo(e.target.value)}
            />
          </div>
          <div className="flex flex-col gap-y-1">
            <Label>Show</Label>
            <KindFilter kind={kind} onChange={setKind} />
          </div>
        </div>
        <OfferFigures range={range} />
        <BookingFigures />
        <ReconcilerFigures />
      </Container>
      <SalesReport />
      {kind !== "bookings" && <OptOutLog range={range} />}
      {kind !== "opt_outs" && <BookingLog />}
    </div>
  )
}

export const config = defineRouteConfig({ label: "XCover", icon: ShieldCheck })

export default XcoverLogPage
