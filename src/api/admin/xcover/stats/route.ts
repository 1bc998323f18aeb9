import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { XCOVER_MODULE } from "../../../../modules/xcover"
import type XcoverModuleService from "../../../../modules/xcover/service"
import type { AdminXcoverStatsQuery } from "../validators"

/** Conversion figures for offers recorded in the period (all time without one). */
export async function GET(
  req: MedusaRequest<unknown, AdminXcoverStatsQuery>,
  res: MedusaResponse
) {
  const xcover = req.scope.resolve<XcoverModuleService>(XCOVER_MODULE)
  const { created_from, created_to } = req.validatedQuery
  res.json({
    stats: await xcover.getOfferStats({ created_from, created_to }),
    created_from: created_from ?? null,
    created_to: created_to ?? null,
  })
}
