import {
  createHook,
  createWorkflow,
  transform,
  when,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { z } from "@medusajs/framework/zod"
import type { OfferRequest } from "../modules/xcover/client/create-offer"
import {
  prepareOfferQuoteStep,
  type PreparedQuote,
} from "./steps/prepare-offer-quote"
import {
  offerRequestInput,
  requestXcoverOfferStep,
  type QuoteResult,
} from "./steps/request-xcover-offer"

export const quoteXcoverOfferWorkflowId = "quote-xcover-offer"

/**
 * What a `setOfferRequest` hook may return: the Create Offer body to send instead of the
 * default (or nothing, to keep it). XCover's `context` differs per account and offer schema.
 */
export const offerRequestHookResult = z
  .object({
    customer: z.record(z.string(), z.unknown()),
    context: z.record(z.string(), z.unknown()),
  })
  .catchall(z.unknown())
  .optional()

/**
 * Store API: an XCover offer for one line of a cart. A line quoted before and unchanged since
 * gets its recorded offer back without a call; otherwise the plugin builds the request, lets
 * the store's `setOfferRequest` hook change it, asks XCover and records the answer.
 *
 * ```ts
 * // src/workflows/hooks/xcover-offer-request.ts of a store
 * import { quoteXcoverOfferWorkflow } from "medusa-plugin-xcover/workflows"
 * import { StepResponse } from "@medusajs/framework/workflows-sdk"
 * quoteXcoverOfferWorkflow.hooks.setOfferRequest(({ request, line }) =>
 *   new StepResponse({ ...request, context: { ...request.context, event_type: "PRODUCT" } }))
 * ```
 */
export const quoteXcoverOfferWorkflow = createWorkflow(
  quoteXcoverOfferWorkflowId,
  // `prepared`: what `prepareOfferQuote` answered for this cart and line in the same request
  // (the store route's, which answers a reusable offer without running the workflow).
  (input: {
    cart_id: string
    line_item_id: string
    prepared?: PreparedQuote
  }) => {
    const prepared = prepareOfferQuoteStep(input)
    // Composed once, at definition: the hook is made inside the branch that asks XCover, so a
    // store's handler runs only when a request is about to be sent.
    let hook: ReturnType<typeof offerRequestHook> | undefined
    const asked = when(
      "xcover-offer-not-recorded",
      { prepared },
      ({ prepared }) => !prepared.reused
    ).then(() => {
      hook = offerRequestHook(prepared)
      const changed = hook.getResult()
      // Without a handler (or one that returns nothing) the hook's result is no request at all.
      const request = transform(
        { prepared, changed },
        ({ prepared, changed }) =>
          isOfferRequest(changed) ? changed : prepared.request
      )
      const result = requestXcoverOfferStep(
        transform({ prepared, request }, ({ prepared, request }) =>
          offerRequestInput(prepared, request)
        )
      )
      return { result }
    })
    const result = transform(
      { prepared, asked },
      ({ prepared, asked }): QuoteResult =>
        prepared.reused
          ? { kind: "offer", offer: prepared.reused, reused: true }
          : (asked?.result as QuoteResult)
    )
    return new WorkflowResponse(result, {
      hooks: [hook as ReturnType<typeof offerRequestHook>],
    })
  }
)

/**
 * Whether a store registered a `setOfferRequest` handler. Without one the store route asks
 * XCover itself, with the same function the workflow's step runs, and spares the request the
 * workflow engine's run (its time is a third of what a new quote costs the plugin). The store's
 * hook files import this workflow to register, so the wrapper is in place before they run.
 */
let offerRequestHookRegistered = false
const registerOfferRequestHook = quoteXcoverOfferWorkflow.hooks.setOfferRequest
const registerAndNote: typeof registerOfferRequestHook = (
  invoke,
  compensate
) => {
  offerRequestHookRegistered = true
  return registerOfferRequestHook(invoke, compensate)
}
quoteXcoverOfferWorkflow.hooks.setOfferRequest = registerAndNote
export const hasOfferRequestHook = (): boolean => offerRequestHookRegistered

function isOfferRequest(value: unknown): value is OfferRequest {
  const { customer, context } = (value ?? {}) as Record<string, unknown>
  return (
    !!customer &&
    typeof customer === "object" &&
    !!context &&
    typeof context === "object"
  )
}

function offerRequestHook(prepared: ReturnType<typeof prepareOfferQuoteStep>) {
  return createHook(
    "setOfferRequest",
    {
      cart_id: prepared.cart_id,
      line: prepared.line,
      request: prepared.request,
    },
    { resultValidator: offerRequestHookResult }
  )
}
