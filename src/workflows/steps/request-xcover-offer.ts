import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { XCOVER_MODULE } from "../../modules/xcover"
import type { OfferRequest } from "../../modules/xcover/client/create-offer"
import type XcoverModuleService from "../../modules/xcover/service"
import type { MedusaContainer } from "@medusajs/framework/types"
import { storeOfferView, type StoreOfferView } from "./cart-cover"
import type { PreparedQuote } from "./prepare-offer-quote"

/** What the quote route answers: an offer, no cover for this item, or XCover out of reach. */
export type QuoteResult =
  | { kind: "offer"; offer: StoreOfferView; reused: boolean }
  | { kind: "no_cover" }
  | { kind: "unavailable"; retry_after_ms: number | null }
  | { kind: "refused" }
  /** The cart asked XCover for more quotes in the last minute than `maxQuotesPerCartPerMinute`. */
  | { kind: "rate_limited"; retry_after_ms: number }

/** What asking XCover for a line's offer takes: the line as quoted, and the request to send. */
export type OfferRequestInput = {
  cart_id: string
  line_item_id: string
  line_fingerprint: string
  request: OfferRequest
  settings_version: string | null
  rate_limited: { retry_after_ms: number } | null
}

/** The input of the request for a prepared quote, with the request to send (the hook's, or the default). */
export function offerRequestInput(
  prepared: PreparedQuote,
  request: OfferRequest
): OfferRequestInput {
  return {
    cart_id: prepared.cart_id,
    line_item_id: prepared.line.id,
    line_fingerprint: prepared.line_fingerprint,
    request,
    settings_version: prepared.settings_version,
    rate_limited: prepared.rate_limited,
  }
}

/**
 * Asks XCover for the offer and records it before answering, so an offer a shopper saw is
 * always in the ledger (and opted out unless the order takes it). Failures are logged with
 * XCover's reason; the shopper gets a plain message and the cart is not touched.
 */
export async function requestXcoverOffer(
  container: MedusaContainer,
  input: OfferRequestInput
): Promise<QuoteResult> {
  const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  if (input.rate_limited) {
    return {
      kind: "rate_limited",
      retry_after_ms: input.rate_limited.retry_after_ms,
    }
  }
  const result = await xcover.createOffer(input.request, {
    settings_version: input.settings_version,
  })
  switch (result.kind) {
    case "offer": {
      const recorded = await xcover.recordQuotedOffer({
        cart_id: input.cart_id,
        line_item_id: input.line_item_id,
        line_fingerprint: input.line_fingerprint,
        offer: result.offer,
      })
      // A fresh offer has no cover line in the cart yet.
      return {
        kind: "offer",
        offer: storeOfferView(recorded, null),
        reused: false,
      }
    }
    case "no_cover":
      return { kind: "no_cover" }
    case "unavailable":
      logger.warn(
        `xcover: no quote for cart ${input.cart_id}: XCover unavailable (${result.reason})`
      )
      return { kind: "unavailable", retry_after_ms: result.retry_after_ms }
    case "refused":
      logger.error(
        `xcover: XCover refused the quote request for cart ${input.cart_id}: ${result.reason}. Check the request's context (the setOfferRequest hook) with your account manager`
      )
      return { kind: "refused" }
  }
}

export const requestXcoverOfferStep = createStep(
  "request-xcover-offer",
  async (input: OfferRequestInput, { container }) =>
    new StepResponse<QuoteResult>(await requestXcoverOffer(container, input))
)
