import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { XCOVER_MODULE } from "../../../../modules/xcover"
import type XcoverModuleService from "../../../../modules/xcover/service"

/** The reconciler's figures since install: orders checked, drift repaired by why, its last runs. */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const xcover = req.scope.resolve<XcoverModuleService>(XCOVER_MODULE)
  res.json({ reconciler: await xcover.getReconcilerView() })
}
