import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { XCOVER_MODULE } from "../../../../../modules/xcover"
import type XcoverModuleService from "../../../../../modules/xcover/service"
import type { AdminXcoverSalesReportQuery } from "../../validators"

/**
 * What sells: offers shown and taken, attach rate, premium booked and refunds per UTC day of
 * `from`..`to` (every day present) and per plan. One SQL statement whatever the range's length.
 */
export async function GET(
  req: MedusaRequest<unknown, AdminXcoverSalesReportQuery>,
  res: MedusaResponse
) {
  const xcover = req.scope.resolve<XcoverModuleService>(XCOVER_MODULE)
  res.json({ report: await xcover.getSalesReport(req.validatedQuery) })
}
