import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import {
  ContainerRegistrationKeys,
  MedusaError,
} from "@medusajs/framework/utils"
import { XCOVER_MODULE } from "../../../../../modules/xcover"
import type XcoverModuleService from "../../../../../modules/xcover/service"

/**
 * The order's XCover policies for its confirmation page, under the same rule as Medusa's own
 * `GET /store/orders/:id` (the order id, not a draft order). Certificate, claim and cancel links
 * carry XCover's security token: they are given for this order only, and only once booked.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id"],
    filters: { id: req.params.id, is_draft_order: false },
  })
  if (!data.length) {
    throw new MedusaError(
      MedusaError.Types.NOT_FOUND,
      `Order with id: ${req.params.id} was not found`
    )
  }
  const xcover = req.scope.resolve<XcoverModuleService>(XCOVER_MODULE)
  const bookings = await xcover.listOrderBookings(req.params.id)
  res.json({
    // A booking the merchant declined never becomes a policy (its offer was opted out).
    xcover_policies: bookings
      .filter((b) => b.status !== "declined")
      .map((b) => {
        const booked = b.status === "booked"
        return {
          offer_id: b.offer_id,
          // The shopper sees a policy (confirmed or cancelled) or that it is on its way; why a booking failed is the merchant's.
          status: !booked
            ? "processing"
            : b.booking_status === "CANCELLED"
              ? "cancelled"
              : "confirmed",
          policy_number: booked ? b.booking_id : null,
          policy_status: booked ? b.booking_status : null,
          plan:
            b.quotes
              .map((q) => q.policy_name)
              .filter((n): n is string => !!n)
              .join(", ") || null,
          price:
            booked && b.total_price !== null
              ? { amount: b.total_price, currency: b.currency }
              : null,
          coi_url: booked ? b.coi_url : null,
          coi_pdf: booked ? b.coi_pdf : null,
          pds_url: booked ? b.pds_url : null,
          claim_url: booked ? b.fnol_link : null,
        }
      }),
  })
}
