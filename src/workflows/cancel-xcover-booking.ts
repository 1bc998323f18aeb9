import {
  createStep,
  createWorkflow,
  StepResponse,
  transform,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { XCOVER_MODULE } from "../modules/xcover"
import type XcoverModuleService from "../modules/xcover/service"
import { dispatchCancellationsStep } from "./steps/dispatch-outbox"

export const cancelXcoverBookingWorkflowId = "cancel-xcover-booking"

/** Asks for the cancellation (or, after a failure, asks again); no compensation: the outbox row is the request. */
export const requestXcoverBookingCancellationStep = createStep(
  "request-xcover-booking-cancellation",
  async (input: { id: string; retry?: boolean }, { container }) => {
    const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
    const { order_id } = input.retry
      ? await xcover.requeueCancellation(input.id)
      : await xcover.requestBookingCancellation(input.id)
    return new StepResponse({ order_id })
  }
)

/** Admin API: cancel one policy by hand (after reading XCover's preview of the refund). */
export const cancelXcoverBookingWorkflow = createWorkflow(
  cancelXcoverBookingWorkflowId,
  (input: { id: string; retry?: boolean }) => {
    const requested = requestXcoverBookingCancellationStep(input)
    const dispatch = dispatchCancellationsStep(
      transform({ requested }, ({ requested }) => ({
        order_id: requested.order_id,
      }))
    )
    return new WorkflowResponse({ requested, dispatch })
  }
)
