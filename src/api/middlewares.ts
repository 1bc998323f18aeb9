import {
  defineMiddlewares,
  validateAndTransformBody,
  validateAndTransformQuery,
} from "@medusajs/framework/http"
import { z } from "@medusajs/framework/zod"
import { XCOVER_ID_PATTERN, XCOVER_ID_RULE } from "../modules/xcover/xcover-id"
import {
  AdminCancelXcoverBooking,
  AdminListXcoverBookings,
  AdminListXcoverOffers,
  AdminRetryXcoverOffers,
  AdminSaveXcoverSettings,
  AdminTestXcoverConnection,
  AdminXcoverSalesReport,
  AdminXcoverStats,
} from "./admin/xcover/validators"

export const StoreRecordOfferSchema = z.strictObject({
  offer_id: z
    .string({ error: "offer_id is required" })
    .regex(XCOVER_ID_PATTERN, `offer_id must be ${XCOVER_ID_RULE}`),
})
export type StoreRecordOfferBody = z.infer<typeof StoreRecordOfferSchema>

export const StoreQuoteOfferSchema = z.strictObject({
  line_item_id: z.string({ error: "line_item_id is required" }).min(1).max(100),
})
export type StoreQuoteOfferBody = z.infer<typeof StoreQuoteOfferSchema>

/** Only the quote: the price always comes from the ledger, so a price field is refused. */
export const StoreSelectOfferSchema = z.strictObject({
  quote_id: z
    .string({ error: "quote_id is required" })
    .regex(XCOVER_ID_PATTERN, `quote_id must be ${XCOVER_ID_RULE}`),
})
export type StoreSelectOfferBody = z.infer<typeof StoreSelectOfferSchema>

export default defineMiddlewares({
  routes: [
    {
      matcher: "/store/carts/:id/xcover-offers",
      method: ["POST"],
      middlewares: [validateAndTransformBody(StoreRecordOfferSchema)],
    },
    {
      matcher: "/store/carts/:id/xcover-offers/quote",
      method: ["POST"],
      middlewares: [validateAndTransformBody(StoreQuoteOfferSchema)],
    },
    {
      matcher: "/store/carts/:id/xcover-offers/:offer_id/select",
      method: ["POST"],
      middlewares: [validateAndTransformBody(StoreSelectOfferSchema)],
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
      matcher: "/admin/xcover/bookings",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminListXcoverBookings, {})],
    },
    {
      matcher: "/admin/xcover/bookings/:id/cancel",
      method: ["POST"],
      middlewares: [validateAndTransformBody(AdminCancelXcoverBooking)],
    },
    // XCover's webhooks: the signature is checked on the raw body; no publishable key, no admin.
    {
      matcher: "/hooks/xcover",
      method: ["POST"],
      bodyParser: { preserveRawBody: true, sizeLimit: "64kb" },
    },
    {
      matcher: "/admin/xcover/stats",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminXcoverStats, {})],
    },
    {
      matcher: "/admin/xcover/stats/daily",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminXcoverSalesReport, {})],
    },
  ],
})
