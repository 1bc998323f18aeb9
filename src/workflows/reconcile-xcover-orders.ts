import {
  createStep,
  createWorkflow,
  StepResponse,
  transform,
  when,
  WorkflowResponse,
  type WorkflowData,
} from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { XCOVER_MODULE } from "../modules/xcover"
import type XcoverModuleService from "../modules/xcover/service"
import type { DispatchResult } from "../modules/xcover/service"
import { isValidXcoverId } from "../modules/xcover/xcover-id"
import {
  reconcileOrders,
  type OrderFacts,
  type OrdersReconciled,
  type ReconcileDeps,
} from "../modules/xcover/recovery/reconcile-orders"
import { orderDecider } from "./decide-xcover-order-offers"
import {
  dispatchBookingsStep,
  dispatchCancellationsStep,
  dispatchOptOutsStep,
} from "./steps/dispatch-outbox"
import {
  LINE_ITEM_METADATA_KEY,
  ORDER_OFFER_FIELDS,
  orderOffersInput,
  type OrderGraph,
} from "./order-graph"

export const reconcileXcoverOrdersWorkflowId = "reconcile-xcover-orders"

/** What the reconciler reads of an order: the decision's fields, its status and what is left of each line. */
export const ORDER_RECONCILE_FIELDS = [
  ...ORDER_OFFER_FIELDS,
  "updated_at",
  "status",
  "items.id",
  // The order's own quantities (its version's item detail): `items.quantity` would be the line's as created.
  "items.detail.quantity",
  "items.detail.return_received_quantity",
]

type ReconcileGraph = OrderGraph & { updated_at: Date | string }

/** The order as the reconciler compares it (metadata problems are reported by the decision, not here). */
export function orderFactsOf(order: ReconcileGraph): OrderFacts {
  const { input } = orderOffersInput(order)
  const lines = (order.items ?? []).flatMap((item) => {
    const offerId = item?.metadata?.[LINE_ITEM_METADATA_KEY]
    if (!item || !isValidXcoverId(offerId)) {
      return []
    }
    const quantity = item.detail?.quantity ?? item.quantity
    // Unknown (not loaded) is never read as 0: that would cancel a policy that is kept.
    return [
      {
        offer_id: offerId,
        quantity:
          quantity === undefined || quantity === null ? null : Number(quantity),
        returned_quantity: Number(item.detail?.return_received_quantity ?? 0),
      },
    ]
  })
  return {
    id: order.id,
    status: order.status ?? null,
    updated_at: new Date(order.updated_at),
    cart_id: input?.cart_id ?? null,
    metadata_offer_ids: input?.metadata_offer_ids ?? [],
    selected_offer_ids: input?.selected_offer_ids ?? [],
    lines,
    lines_read: (order.items ?? []).some((item) => !!item),
  }
}

/** Orders (by filter) as the reconciler reads them: one query for a whole page. */
export async function loadOrderFacts(
  container: MedusaContainer,
  filters: Record<string, unknown>,
  pagination?: { order: Record<string, "ASC" | "DESC">; take: number }
): Promise<OrderFacts[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ORDER_RECONCILE_FIELDS,
    filters,
    ...(pagination ? { pagination } : {}),
  })
  return (data as ReconcileGraph[]).map(orderFactsOf)
}

/** The reconciler's parts in a container: the module's ledger, the placement decision (recorded, not sent), the logger. */
export function reconcileDepsOf(container: MedusaContainer): ReconcileDeps {
  return {
    ledger: container.resolve<XcoverModuleService>(XCOVER_MODULE),
    decide: orderDecider(container),
    logger: container.resolve(ContainerRegistrationKeys.LOGGER),
  }
}

/**
 * Part of the composition: one kind's dispatch step, run only when the reconciler wrote work of
 * that kind (`ordersOf` names its orders), for that order alone when it is one, else every due one.
 */
function sendDue(
  reconciled: WorkflowData<OrdersReconciled>,
  step: typeof dispatchOptOutsStep,
  ordersOf: (reconciled: OrdersReconciled) => string[]
): WorkflowData<DispatchResult> | undefined {
  return when(
    { reconciled },
    ({ reconciled }) => ordersOf(reconciled).length > 0
  ).then(() =>
    step(
      transform({ reconciled }, ({ reconciled }) => {
        const orderIds = ordersOf(reconciled)
        return { order_id: orderIds.length === 1 ? orderIds[0] : undefined }
      })
    )
  )
}

/** Compares the orders with their policies and writes what is missing to the outbox (see `reconcileOrders`). */
export const reconcileXcoverOrdersStep = createStep(
  "reconcile-xcover-orders",
  async (input: { order_ids: string[] }, { container }) => {
    const orders = input.order_ids.length
      ? await loadOrderFacts(container, { id: input.order_ids })
      : []
    return new StepResponse<OrdersReconciled>(
      await reconcileOrders(reconcileDepsOf(container), orders)
    )
  }
)

/**
 * Every order event the plugin listens to (placed, cancelled, return received, claim, exchange,
 * edit) runs this for its order, as the admin's "reconcile now" does: the order as it is now
 * says what XCover must hold, whatever event came or was lost. The reconciler only writes what
 * is missing to the outbox and says what it wrote; the opt-outs, bookings and cancellations it
 * wrote are then sent at once, each kind by its own step.
 */
export const reconcileXcoverOrdersWorkflow = createWorkflow(
  reconcileXcoverOrdersWorkflowId,
  (input: { order_ids: string[] }) => {
    const reconciled = reconcileXcoverOrdersStep(input)
    const optOuts = sendDue(
      reconciled,
      dispatchOptOutsStep,
      (r) => r.to_send.opt_outs
    )
    const bookings = sendDue(
      reconciled,
      dispatchBookingsStep,
      (r) => r.to_send.bookings
    )
    const dispatch = sendDue(reconciled, dispatchCancellationsStep, (r) => [
      ...new Set(r.repaired.map((c) => c.order_id)),
    ])
    return new WorkflowResponse({ reconciled, optOuts, bookings, dispatch })
  }
)
