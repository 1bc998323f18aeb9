import { Alert, Text } from "@medusajs/ui"
import type { DeliveryHealth } from "../lib/xcover-api"
import { formatTime } from "./offer-status-badge"

/**
 * What the settings page says about sending: XCover refusing the credentials (the circuit is
 * open: offers wait, nothing is lost) and a server clock too far from XCover's.
 */
export function DeliveryHealthNotice({
  delivery,
}: {
  delivery: DeliveryHealth | undefined
}) {
  if (!delivery) {
    return null
  }
  const { circuit, clock_skew_ms } = delivery
  return (
    <>
      {circuit.open && (
        <Alert variant="error" data-testid="xcover-circuit">
          <Text weight="plus">
            XCover refuses the credentials: sending is paused.
          </Text>
          <Text size="small">
            XCover answered: {circuit.reason ?? "401/403"}. Declined offers wait
            and are sent once the credentials work again (nothing to retry by
            hand). Opened {formatTime(circuit.opened_at)}; next check{" "}
            {formatTime(circuit.next_probe_at)}, or at once when you save the
            settings.
          </Text>
        </Alert>
      )}
      {clock_skew_ms !== null && (
        <Alert variant="warning" data-testid="xcover-clock-skew">
          This server's clock is {Math.round(Math.abs(clock_skew_ms) / 1000)} s{" "}
          {clock_skew_ms > 0 ? "behind" : "ahead of"} XCover's. Requests are
          signed with the local time and may be refused: synchronise the
          server's clock (NTP).
        </Alert>
      )}
    </>
  )
}
