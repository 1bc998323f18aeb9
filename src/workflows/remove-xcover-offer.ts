import {
  createStep,
  createWorkflow,
  StepResponse,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { XCOVER_MODULE } from "../modules/xcover"
import type XcoverModuleService from "../modules/xcover/service"
import { coverLinesFor, loadCoverCart } from "./steps/cart-cover"
import { removeCoverLines } from "./steps/remove-cover-lines"

export const removeXcoverOfferWorkflowId = "remove-xcover-offer"

/** The cover lines of this offer in this cart (none is fine: removing is idempotent). */
export const prepareOfferRemovalStep = createStep(
  "prepare-xcover-offer-removal",
  async (input: { cart_id: string; offer_id: string }, { container }) => {
    const cart = await loadCoverCart(container, input.cart_id)
    const offer = await container
      .resolve<XcoverModuleService>(XCOVER_MODULE)
      .getQuotedOffer(input.offer_id)
    if (!offer) {
      throw new MedusaError(
        MedusaError.Types.NOT_FOUND,
        `XCover offer ${input.offer_id} was not found`
      )
    }
    if (offer.cart_id !== cart.id) {
      throw new MedusaError(
        MedusaError.Types.CONFLICT,
        `XCover offer ${input.offer_id} belongs to another cart`
      )
    }
    return new StepResponse({
      cart_id: cart.id,
      remove_ids: coverLinesFor(cart, { offer_id: offer.offer_id }).map(
        (l) => l.id
      ),
    })
  }
)

/** Store API: the shopper no longer wants the cover; the offer stays recorded (declined at order time). */
export const removeXcoverOfferWorkflow = createWorkflow(
  removeXcoverOfferWorkflowId,
  (input: { cart_id: string; offer_id: string }) => {
    const prepared = prepareOfferRemovalStep(input)
    removeCoverLines("remove-xcover-cover", prepared)
    return new WorkflowResponse({
      cart_id: prepared.cart_id,
      removed: prepared.remove_ids,
    })
  }
)
