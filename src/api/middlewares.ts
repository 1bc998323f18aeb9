import { defineMiddlewares, validateAndTransformBody } from "@medusajs/framework/http"
import { z } from "@medusajs/framework/zod"
import { OFFER_ID_PATTERN, OFFER_ID_RULE } from "../modules/xcover/offer-id"

export const StoreRecordOfferSchema = z.strictObject({
  offer_id: z.string({ error: "offer_id is required" }).regex(OFFER_ID_PATTERN, `offer_id must be ${OFFER_ID_RULE}`),
})
export type StoreRecordOfferBody = z.infer<typeof StoreRecordOfferSchema>

export default defineMiddlewares({
  routes: [
    {
      matcher: "/store/carts/:id/xcover-offers",
      method: ["POST"],
      middlewares: [validateAndTransformBody(StoreRecordOfferSchema)],
    },
  ],
})
