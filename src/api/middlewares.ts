import { defineMiddlewares, validateAndTransformBody, validateAndTransformQuery } from "@medusajs/framework/http"
import { z } from "@medusajs/framework/zod"
import { OFFER_ID_PATTERN, OFFER_ID_RULE } from "../modules/xcover/offer-id"
import {
  AdminListXcoverOffers,
  AdminRetryXcoverOffers,
  AdminSaveXcoverSettings,
  AdminTestXcoverConnection,
  AdminXcoverStats,
} from "./admin/xcover/validators"

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
    // Everything under /admin already requires an authenticated admin user.
    {
      matcher: "/admin/xcover/settings",
      method: ["POST"],
      middlewares: [validateAndTransformBody(AdminSaveXcoverSettings)],
    },
    {
      matcher: "/admin/xcover/settings/test-connection",
      method: ["POST"],
      middlewares: [validateAndTransformBody(AdminTestXcoverConnection)],
    },
    {
      matcher: "/admin/xcover/offers",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminListXcoverOffers, {})],
    },
    {
      matcher: "/admin/xcover/offers/retry",
      method: ["POST"],
      middlewares: [validateAndTransformBody(AdminRetryXcoverOffers)],
    },
    {
      matcher: "/admin/xcover/stats",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminXcoverStats, {})],
    },
  ],
})
