import { createStep, createWorkflow, StepResponse, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { XCOVER_MODULE } from "../modules/xcover"
import type { CancellationReason } from "../modules/xcover/models/xcover-cancellation"
import type XcoverModuleService from "../modules/xcover/service"
import { dispatchCancellationsStep } from "./steps/dispatch-outbox"
import { LINE_ITEM_METADATA_KEY } from "./steps/load-order-offers"

export const cancelXcoverBookingsWorkflowId = "cancel-xcover-bookings"

type CancelInput = { order_id: string; reason: CancellationReason; return_id?: string }

type ReturnGraph = { items?: ({ item_id: string; received_quantity?: number | null } | null)[] | null }

/**
 * The offers whose cover line (any line naming the offer) came back in a received return: in
 * this return, or (no `return_id`) in any return of the order.
 */
async function returnedOfferIds(container: MedusaContainer, orderId: string, returnId?: string): Promise<string[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: returns } = await query.graph({
    entity: "return",
    fields: ["id", "items.item_id", "items.received_quantity"],
    filters: returnId ? { id: returnId } : { order_id: orderId },
  })
  const returned = new Set(
    (returns as ReturnGraph[])
      .flatMap((r) => r.items ?? [])
      .filter((i): i is { item_id: string; received_quantity?: number | null } => !!i && Number(i.received_quantity ?? 0) > 0)
      .map((i) => i.item_id)
  )
  if (!returned.size) {
    return []
  }
  const { data: orders } = await query.graph({ entity: "order", fields: ["id", "items.id", "items.metadata"], filters: { id: orderId } })
  const items = ((orders[0]?.items ?? []) as ({ id: string; metadata?: Record<string, unknown> | null } | null)[]).filter(
    (i): i is { id: string; metadata?: Record<string, unknown> | null } => !!i
  )
  return items
    .filter((i) => returned.has(i.id) && typeof i.metadata?.[LINE_ITEM_METADATA_KEY] === "string")
    .map((i) => String(i.metadata?.[LINE_ITEM_METADATA_KEY]))
}

/**
 * Which bookings to cancel: every one of a cancelled order; for a return, those whose cover line
 * came back (in that return, or in any received return of the order when none is named: the
 * reconciliation's level-triggered check). Written to the outbox before any call.
 */
export const requestXcoverCancellationsStep = createStep("request-xcover-cancellations", async (input: CancelInput, { container }) => {
  const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
  const offerIds = input.reason === "returned" ? await returnedOfferIds(container, input.order_id, input.return_id) : undefined
  const requested = await xcover.requestCancellations({ order_id: input.order_id, offer_ids: offerIds, reason: input.reason })
  return new StepResponse({ requested })
})

/** An order cancelled, or cover returned: its bookings are cancelled at XCover through the outbox. */
export const cancelXcoverBookingsWorkflow = createWorkflow(cancelXcoverBookingsWorkflowId, (input: CancelInput) => {
  const { requested } = requestXcoverCancellationsStep(input)
  const dispatch = when({ requested }, ({ requested }) => requested.length > 0).then(() =>
    dispatchCancellationsStep(transform({ input }, ({ input }) => ({ order_id: input.order_id })))
  )
  return new WorkflowResponse({ requested, dispatch })
})
