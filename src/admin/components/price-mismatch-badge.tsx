import { Badge } from "@medusajs/ui"
import { formatMoney } from "../lib/money"
import type { XcoverBooking } from "../lib/xcover-api"

/** XCover booked another total than the order charged for the cover: the merchant should look. */
export function PriceMismatchBadge({ booking }: { booking: XcoverBooking }) {
  if (!booking.price_mismatch) {
    return null
  }
  return (
    <Badge
      size="2xsmall"
      color="orange"
      className="h-auto whitespace-normal py-0.5"
      data-testid="xcover-price-mismatch"
    >
      XCover booked {formatMoney(booking.total_price, booking.currency)}, order
      charged {formatMoney(booking.charged_amount, booking.charged_currency)}
    </Badge>
  )
}
