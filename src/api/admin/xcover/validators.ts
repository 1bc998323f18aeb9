import { z } from "@medusajs/framework/zod"
import {
  ADMIN_ENVIRONMENTS,
  type AdminEnvironment,
} from "../../../modules/xcover/models/xcover-settings"
import { OFFER_STATUSES } from "../../../modules/xcover/models/xcover-offer"
import { BOOKING_STATUSES } from "../../../modules/xcover/statuses"
import { SIGNATURE_ALGORITHMS } from "../../../modules/xcover/options"
import {
  addDays,
  lastDays,
  parseDay,
  rangeProblem,
} from "../../../modules/xcover/reporting/day-range"

// Medusa's validator prints the received value for some type errors; the secret's own check
// below uses custom messages only, so a mistyped secret is never echoed back.
const apiSecret = z
  .unknown()
  .superRefine((v, ctx) => {
    if (
      v !== undefined &&
      v !== null &&
      (typeof v !== "string" || !v.trim() || v.length > 500)
    ) {
      ctx.addIssue({
        code: "custom",
        message:
          "api_secret must be a non-empty string of at most 500 characters, or null to remove it",
      })
    }
  })
  .transform((v) => v as string | null | undefined)

// The admin must not be able to send signed requests with the API key to a host of its choosing.
// Custom messages: Medusa's validator rewrites zod's own enum and type messages.
const ONLY_OPTION_URL =
  "a custom base URL can only come from the baseUrl plugin option in medusa-config.ts"
const environment = z
  .unknown()
  .superRefine((v, ctx) => {
    if (
      v !== undefined &&
      v !== null &&
      !(ADMIN_ENVIRONMENTS as readonly unknown[]).includes(v)
    ) {
      ctx.addIssue({
        code: "custom",
        message: `environment must be production or sandbox, or null (${ONLY_OPTION_URL})`,
      })
    }
  })
  .transform((v) => v as AdminEnvironment | null | undefined)
const baseUrl = z
  .unknown()
  .superRefine((v, ctx) => {
    if (v !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: `base_url cannot be set in the admin (${ONLY_OPTION_URL})`,
      })
    }
  })
  .transform(() => undefined)

/** `null` removes an admin override (the plugin option applies again); a missing field keeps it. */
export const AdminSaveXcoverSettings = z.object({
  partner_code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, {
      error: "partner_code must be 1 to 64 letters, digits, _ or -",
    })
    .nullish(),
  api_key: z
    .string()
    .trim()
    .regex(/^[\x21-\x7e]{1,200}$/, {
      error: "api_key must be 1 to 200 printable characters without spaces",
    })
    .nullish(),
  api_secret: apiSecret,
  environment,
  base_url: baseUrl,
  signature_algorithm: z.enum(SIGNATURE_ALGORITHMS).nullish(),
  enabled: z.boolean().nullish(),
})
export type AdminSaveXcoverSettingsBody = z.infer<
  typeof AdminSaveXcoverSettings
>

export const AdminTestXcoverConnection = z.object({})

const isoDate = (field: string) =>
  z
    .string()
    .refine(
      (v) => /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v)),
      { error: `${field} must be an ISO 8601 date or date-time` }
    )
    .transform((v) => new Date(v))

const dateRange = {
  created_from: isoDate("created_from").optional(),
  created_to: isoDate("created_to").optional(),
}

/** The opt-out log's filters, shared by the list and the bulk retry. */
const logFilters = {
  status: z
    .preprocess(
      (v) => (typeof v === "string" ? v.split(",") : v),
      z.array(z.enum(OFFER_STATUSES))
    )
    .optional(),
  order_id: z.string().max(100).optional(),
  offer_id: z.string().max(100).optional(),
  ...dateRange,
}

export const AdminListXcoverOffers = z.object({
  ...logFilters,
  limit: z.coerce
    .number({ error: "limit must be a number" })
    .int()
    .min(1)
    .max(100)
    .default(20),
  offset: z.coerce
    .number({ error: "offset must be a number" })
    .int()
    .min(0)
    .default(0),
})
export type AdminListXcoverOffersQuery = z.infer<typeof AdminListXcoverOffers>

export const AdminRetryXcoverOffers = z.strictObject(logFilters)
export type AdminRetryXcoverOffersBody = z.infer<typeof AdminRetryXcoverOffers>

export const AdminXcoverStats = z.object(dateRange)
export type AdminXcoverStatsQuery = z.infer<typeof AdminXcoverStats>

/** Days of the sales report without a range: the last 30 UTC days, today included. */
export const DEFAULT_REPORT_DAYS = 30

// Plain strings first, so a wrong type is named like a wrong value; the days are checked together.
const reportDay = (field: "from" | "to") =>
  z
    .string({ error: `${field} must be a calendar day written YYYY-MM-DD` })
    .optional()

/** `from` and `to` are UTC calendar days (YYYY-MM-DD), both included, at most MAX_RANGE_DAYS apart. */
export const AdminXcoverSalesReport = z
  .strictObject({ from: reportDay("from"), to: reportDay("to") })
  .transform((range, ctx) => {
    // Only `to` given: the 30 days up to it; only `from`: up to today.
    const to = range.to ?? lastDays(1).to
    const from =
      range.from ?? (parseDay(to) ? addDays(to, 1 - DEFAULT_REPORT_DAYS) : to)
    const problem = rangeProblem(from, to)
    if (problem) {
      ctx.addIssue({
        code: "custom",
        message: problem,
        path: [problem.startsWith("to") ? "to" : "from"],
      })
      return z.NEVER
    }
    return { from, to }
  })
export type AdminXcoverSalesReportQuery = z.infer<typeof AdminXcoverSalesReport>

export const AdminListXcoverBookings = z.object({
  status: z.enum(BOOKING_STATUSES).optional(),
  order_id: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})
export type AdminListXcoverBookingsQuery = z.infer<
  typeof AdminListXcoverBookings
>

export const AdminCancelXcoverBooking = z.strictObject({
  /** Retry a failed cancellation (it previews again) instead of asking for a new one. */
  retry: z.boolean().optional(),
})
export type AdminCancelXcoverBookingBody = z.infer<
  typeof AdminCancelXcoverBooking
>
