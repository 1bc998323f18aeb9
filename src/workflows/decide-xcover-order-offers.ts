import {
  createWorkflow,
  transform,
  when,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import {
  dispatchBookingsStep,
  dispatchOptOutsStep,
} from "./steps/dispatch-outbox"
import type { MedusaContainer } from "@medusajs/framework/types"
import type { DecisionWritten } from "../modules/xcover/recovery/reconcile-orders"
import { loadOrderOffers, loadOrderOffersStep } from "./steps/load-order-offers"
import {
  recordOrderOffers,
  recordOrderOffersStep,
} from "./steps/record-order-offers"

export const decideXcoverOrderOffersWorkflowId = "decide-xcover-order-offers"

/**
 * After an order is placed: load its cart's offers, record which were bought and which were
 * declined (bookings and opt-outs written in one transaction), then book the taken ones and opt
 * out the declined ones, both through the outbox.
 */
export const decideXcoverOrderOffersWorkflow = createWorkflow(
  decideXcoverOrderOffersWorkflowId,
  (input: { order_id: string }) => {
    const offers = loadOrderOffersStep(input)
    const decision = recordOrderOffersStep(offers)
    const dispatch = when(
      { decision },
      ({ decision }) => decision.declined.length > 0
    ).then(() =>
      dispatchOptOutsStep(
        transform({ input }, ({ input }) => ({ order_id: input.order_id }))
      )
    )
    const booking = when(
      { decision },
      ({ decision }) => (decision.bookings ?? []).length > 0
    ).then(() =>
      dispatchBookingsStep(
        transform({ input }, ({ input }) => ({ order_id: input.order_id }))
      )
    )
    return new WorkflowResponse({ decision, dispatch, booking })
  }
)

/**
 * The decision as the reconciler and the recovery make it: the order's offers loaded and
 * recorded, nothing sent. What it wrote is returned: the reconciler's workflow sends it, the
 * job's sweeps do for its passes.
 */
export function orderDecider(
  container: MedusaContainer
): (orderId: string) => Promise<DecisionWritten> {
  return async (orderId) => {
    const decision = await recordOrderOffers(
      container,
      await loadOrderOffers(container, orderId)
    )
    return {
      opt_outs: decision.declined.length,
      bookings: (decision.bookings ?? []).length,
    }
  }
}

/** @deprecated Renamed `decideXcoverOrderOffersWorkflow`: it books the taken offers as well. */
export const optOutDeclinedOffersWorkflow = decideXcoverOrderOffersWorkflow
/** @deprecated Renamed `decideXcoverOrderOffersWorkflowId`. */
export const optOutDeclinedOffersWorkflowId = decideXcoverOrderOffersWorkflowId
