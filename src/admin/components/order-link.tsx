import { orderPath } from "../lib/xcover-api"

/** The order's page in the dashboard, by a shortened id. */
export function OrderLink({ orderId }: { orderId: string | null }) {
  if (!orderId) {
    return <>–</>
  }
  return (
    <a
      className="text-ui-fg-interactive hover:underline"
      href={orderPath(orderId)}
    >
      {orderId.slice(0, 16)}…
    </a>
  )
}
