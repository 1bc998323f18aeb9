import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { XCOVER_MODULE } from "../../modules/xcover"
import type { OfferLogFilters } from "../../modules/xcover/reporting/offer-log"
import type XcoverModuleService from "../../modules/xcover/service"

export type RequeueOffersInput = Omit<
  OfferLogFilters,
  "limit" | "offset" | "id"
>

/**
 * Moves every failed or rejected offer in the admin's filter back to pending, due now. No
 * compensation, as for one offer: a requeued offer is what the dispatch job sends anyway.
 */
export const requeueXcoverOffersStep = createStep(
  "requeue-xcover-offers",
  async (input: RequeueOffersInput, { container }) => {
    const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
    const offers = await xcover.requeueOffers(input)
    return new StepResponse({ requeued: offers.length })
  }
)
