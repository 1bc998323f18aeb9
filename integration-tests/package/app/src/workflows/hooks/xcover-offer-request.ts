// The store's own `setOfferRequest` hook, written as docs/store-api.md's "Changing what XCover is asked"
// tells store developers to: what XCover needs in `context` depends on the partner account, so
// the store adds it to the plugin's default Create Offer request. Medusa loads every file under
// src/workflows/hooks when the app starts.
import { StepResponse } from "@medusajs/framework/workflows-sdk"
import { quoteXcoverOfferWorkflow } from "medusa-plugin-xcover/workflows"

quoteXcoverOfferWorkflow.hooks.setOfferRequest(({ cart_id, line, request }) => {
  return new StepResponse({
    ...request,
    context: {
      ...request.context,
      event_type: "PRODUCT",
      store_reference: `${cart_id}/${line.id}`,
    },
  })
})
