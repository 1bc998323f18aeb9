import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import {
  ContainerRegistrationKeys,
  MedusaError,
} from "@medusajs/framework/utils"
import { XCOVER_MODULE } from "../../../../../../modules/xcover"
import type XcoverModuleService from "../../../../../../modules/xcover/service"
import { reconcileXcoverOrdersWorkflow } from "../../../../../../workflows/reconcile-xcover-orders"

/**
 * "Reconcile now" on the order page: compares the order with its policies at once and answers
 * what it found and did (decided late, cancellations asked for, by why) and the policies after.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id"],
    filters: { id: req.params.id },
  })
  if (!data.length) {
    throw new MedusaError(
      MedusaError.Types.NOT_FOUND,
      `Order ${req.params.id} was not found`
    )
  }
  const { result } = await reconcileXcoverOrdersWorkflow(req.scope).run({
    input: { order_ids: [req.params.id] },
  })
  const { orders_checked, decided, repaired, failed } = result.reconciled
  const xcover = req.scope.resolve<XcoverModuleService>(XCOVER_MODULE)
  res.json({
    reconciliation: { orders_checked, decided, repaired, failed },
    bookings: await xcover.listOrderBookings(req.params.id),
  })
}
