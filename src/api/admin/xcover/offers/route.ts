import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { XCOVER_MODULE } from "../../../../modules/xcover"
import type XcoverModuleService from "../../../../modules/xcover/service"
import type { AdminListXcoverOffersQuery } from "../validators"

/** The opt-out log: recorded offers, newest first, filtered and paginated. */
export async function GET(
  req: MedusaRequest<unknown, AdminListXcoverOffersQuery>,
  res: MedusaResponse
) {
  const xcover = req.scope.resolve<XcoverModuleService>(XCOVER_MODULE)
  const query = req.validatedQuery
  const { offers, count } = await xcover.listOfferLog(query)
  res.json({ offers, count, limit: query.limit, offset: query.offset })
}
