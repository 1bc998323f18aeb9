import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { XCOVER_MODULE } from "../../../../modules/xcover"
import type XcoverModuleService from "../../../../modules/xcover/service"
import type { AdminListXcoverBookingsQuery } from "../validators"

/** Bookings of taken offers, newest first: the policy, or why booking failed. */
export async function GET(
  req: MedusaRequest<unknown, AdminListXcoverBookingsQuery>,
  res: MedusaResponse
) {
  const xcover = req.scope.resolve<XcoverModuleService>(XCOVER_MODULE)
  const { status, order_id, limit, offset } = req.validatedQuery
  const { bookings, count } = await xcover.listBookings({
    status,
    order_id,
    limit,
    offset,
  })
  res.json({
    bookings,
    count,
    limit,
    offset,
    stats: await xcover.getBookingStats(),
  })
}
