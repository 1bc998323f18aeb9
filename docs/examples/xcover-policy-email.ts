// An example, not part of the plugin: copy it to your store's src/subscribers/ to use it.
//
// Emails the shopper their XCover policy (number, certificate, PDS, claim link) once XCover has
// booked it. The links carry XCover's security token: send them to the order's email only.
// Needs a notification provider for the "email" channel, with a template of your own.
import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"

/** `xcover.booking.confirmed`'s data. */
type BookingConfirmed = {
  order_id: string
  offer_id: string
  booking_id: string | null
  price_mismatch: boolean
}

/** The little of the plugin's `xcover` module service this uses (the package ships no types). */
type XcoverPolicy = {
  offer_id: string
  status: "pending" | "sending" | "retrying" | "booked" | "failed"
  booking_id: string | null
  total_price: number | null
  currency: string | null
  quotes: { policy_name: string | null }[]
  coi_url: string | null
  coi_pdf: string | null
  pds_url: string | null
  fnol_link: string | null
}
type XcoverModule = {
  listOrderBookings(orderId: string): Promise<XcoverPolicy[]>
}

export default async function xcoverPolicyEmail({
  event,
  container,
}: SubscriberArgs<BookingConfirmed>) {
  const { order_id, offer_id } = event.data
  const xcover = container.resolve<XcoverModule>("xcover")
  const policy = (await xcover.listOrderBookings(order_id)).find(
    (b) => b.offer_id === offer_id
  )
  if (!policy || policy.status !== "booked" || !policy.booking_id) {
    return
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", "display_id", "email"],
    filters: { id: order_id },
  })
  const order = data[0] as
    { id: string; display_id: number; email: string | null } | undefined
  if (!order?.email) {
    return
  }
  await container.resolve(Modules.NOTIFICATION).createNotifications({
    to: order.email,
    channel: "email",
    template: "xcover-policy", // your provider's template
    idempotency_key: `xcover-policy-${policy.booking_id}`, // one email per policy, even if the event comes twice
    resource_id: order.id,
    resource_type: "order",
    data: {
      order_display_id: order.display_id,
      policy_number: policy.booking_id,
      plan: policy.quotes
        .map((q) => q.policy_name)
        .filter(Boolean)
        .join(", "),
      price: policy.total_price,
      currency: policy.currency,
      certificate_url: policy.coi_url,
      certificate_pdf: policy.coi_pdf,
      pds_url: policy.pds_url,
      claim_url: policy.fnol_link,
    },
  })
}

export const config: SubscriberConfig = {
  event: "xcover.booking.confirmed",
  context: { subscriberId: "xcover-policy-email" },
}
