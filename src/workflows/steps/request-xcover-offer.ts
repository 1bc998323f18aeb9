import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { XCOVER_MODULE } from "../../modules/xcover"
import type { OfferRequest } from "../../modules/xcover/client/create-offer"
import type XcoverModuleService from "../../modules/xcover/service"
import { storeOfferView, type StoreOfferView } from "./cart-cover"

/** What the quote route answers: an offer, no cover for this item, or XCover out of reach. */
export type QuoteResult =
  | { kind: "offer"; offer: StoreOfferView; reused: boolean }
  | { kind: "no_cover" }
  | { kind: "unavailable"; retry_after_ms: number | null }
  | { kind: "refused" }
  /** The cart asked XCover for more quotes in the last minute than `maxQuotesPerCartPerMinute`. */
  | { kind: "rate_limited"; retry_after_ms: number }

/**
 * Asks XCover for the offer and records it before answering, so an offer a shopper saw is
 * always in the ledger (and opted out unless the order takes it). Failures are logged with
 * XCover's reason; the shopper gets a plain message and the cart is not touched.
 */
export const requestXcoverOfferStep = createStep(
  "request-xcover-offer",
  async (
    input: {
      cart_id: string
      line_item_id: string
      line_fingerprint: string
      request: OfferRequest
      settings_version: string | null
      rate_limited: { retry_after_ms: number } | null
    },
    { container }
  ) => {
    const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
    if (input.rate_limited) {
      return new StepResponse<QuoteResult>({ kind: "rate_limited", retry_after_ms: input.rate_limited.retry_after_ms })
    }
    const result = await xcover.createOffer(input.request, { settings_version: input.settings_version })
    switch (result.kind) {
      case "offer": {
        const recorded = await xcover.recordQuotedOffer({
          cart_id: input.cart_id,
          line_item_id: input.line_item_id,
          line_fingerprint: input.line_fingerprint,
          offer: result.offer,
        })
        // A fresh offer has no cover line in the cart yet.
        return new StepResponse<QuoteResult>({ kind: "offer", offer: storeOfferView(recorded, null), reused: false })
      }
      case "no_cover":
        return new StepResponse<QuoteResult>({ kind: "no_cover" })
      case "unavailable":
        logger.warn(`xcover: no quote for cart ${input.cart_id}: XCover unavailable (${result.reason})`)
        return new StepResponse<QuoteResult>({ kind: "unavailable", retry_after_ms: result.retry_after_ms })
      case "refused":
        logger.error(`xcover: XCover refused the quote request for cart ${input.cart_id}: ${result.reason}. Check the request's context (the setOfferRequest hook) with your account manager`)
        return new StepResponse<QuoteResult>({ kind: "refused" })
    }
  }
)
