import { z } from "@medusajs/framework/zod"

/** Signature algorithms XCover accepts (SHA-1 is deprecated upstream, so not offered). */
export const SIGNATURE_ALGORITHMS = [
  "hmac-sha512",
  "hmac-sha384",
  "hmac-sha256",
] as const
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number]

/** Which headers go into the string to sign: `date` alone, or the request target first. */
export const SIGNED_HEADERS = ["date", "(request-target) date"] as const
export type SignedHeaders = (typeof SIGNED_HEADERS)[number]

export const DEFAULT_BASE_URL = "https://api.xcover.com/x"
/**
 * Cover Genius's sandbox, the "sandbox" choice of the admin page: the staging host that
 * integrators' live sandbox calls went to (api.staging.xcover.com appears in none).
 */
export const SANDBOX_BASE_URL = "https://api.xcover-staging.com/xcover"

/** Shortest accepted `encryptionKey`: it should carry at least 32 bytes of randomness. */
export const MIN_ENCRYPTION_KEY_LENGTH = 32

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))

const positiveInt = (min: number, max: number) =>
  z.number().int().min(min).max(max)

/**
 * Plugin options as a store writes them in `medusa-config.ts`. Empty strings count as
 * "not set" so that `process.env.X ?? ""` style configs behave like a missing value.
 */
export const xcoverOptionsSchema = z.object({
  partnerCode: optionalText,
  apiKey: optionalText,
  apiSecret: optionalText,
  /** Key for the API secret saved in the admin (AES-256-GCM at rest); env XCOVER_ENCRYPTION_KEY. */
  encryptionKey: optionalText.refine(
    (v) => v === undefined || v.length >= MIN_ENCRYPTION_KEY_LENGTH,
    {
      error: `must be at least ${MIN_ENCRYPTION_KEY_LENGTH} characters (for example the output of \`openssl rand -base64 32\`)`,
    }
  ),
  /** The only way to send calls elsewhere than production or sandbox (the admin offers just those). */
  baseUrl: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : DEFAULT_BASE_URL))
    .pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" })),
  signatureAlgorithm: z.enum(SIGNATURE_ALGORITHMS).default("hmac-sha512"),
  signedHeaders: z.enum(SIGNED_HEADERS).default("date"),
  timeoutMs: positiveInt(1_000, 120_000).default(10_000),
  /**
   * Book every taken offer when the order is placed (XCover's Confirm Offer). Off: taken offers
   * are only recorded as `selected`, for stores that confirm them elsewhere.
   */
  booking: z.boolean().default(true),
  /**
   * What happens to a storefront's own offer (one the plugin did not quote) taken by an order.
   * XCover tells no offer's price before it is booked, so the line's price cannot be checked
   * first: `book_and_flag` books it and flags the booking when XCover booked another price;
   * `hold_for_review` holds its booking until the merchant books or declines it in the admin.
   * Offers the plugin quoted are priced from XCover's quote and always booked at once.
   */
  storefrontOfferBooking: z
    .enum(["book_and_flag", "hold_for_review"])
    .default("book_and_flag"),
  /** `customer.language` of the quotes the plugin asks for: the language of XCover's copy. */
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2}(-[A-Za-z]{2})?$/, {
      error: "must be a language code such as en or fr",
    })
    .default("en"),
  /**
   * Calls per second to the XCover account, all processes together, for every route but Confirm
   * Offer (opt-outs, cancellations, Get Booking, the admin's preview); 0 turns the limiter off.
   */
  maxRequestsPerSecond: z.number().min(0).max(1_000).default(20),
  /** Create Offer calls one cart may make per minute (quotes asked of XCover; reused ones are free); 0 turns it off. */
  maxQuotesPerCartPerMinute: z.number().int().min(0).max(1_000).default(10),
  /** The same for Confirm Offer (bookings), which XCover limits apart: 50/s. Create Offer is not paced. */
  maxOfferRequestsPerSecond: z.number().min(0).max(1_000).default(50),
  retry: z
    .object({
      maxAgeMs: positiveInt(1_000, 30 * 24 * 3600_000).default(24 * 3600_000),
      baseDelayMs: positiveInt(10, 3600_000).default(30_000),
      maxDelayMs: positiveInt(10, 24 * 3600_000).default(2 * 3600_000),
    })
    .default({
      maxAgeMs: 24 * 3600_000,
      baseDelayMs: 30_000,
      maxDelayMs: 2 * 3600_000,
    }),
})

export type XcoverPluginOptions = z.input<typeof xcoverOptionsSchema>
export type XcoverOptions = z.output<typeof xcoverOptionsSchema>

/** Credentials complete enough to sign a request. */
export type XcoverCredentials = {
  partnerCode: string
  apiKey: string
  apiSecret: string
}

export type ParsedOptions =
  { ok: true; options: XcoverOptions } | { ok: false; message: string }

/**
 * Validates plugin options. The message names each failing option by its path (for example
 * `xcover option "retry.maxDelayMs": ...`) and never echoes the value, which may be a secret.
 */
export function parseXcoverOptions(raw: unknown): ParsedOptions {
  const result = xcoverOptionsSchema.safeParse(raw ?? {})
  if (result.success) {
    return { ok: true, options: result.data }
  }
  const message = result.error.issues
    .map(
      (issue) =>
        `xcover option "${issue.path.join(".") || "(root)"}": ${issue.message}`
    )
    .join("; ")
  return { ok: false, message }
}

/** The credentials, or the names of those that are missing. */
export function credentialsOf(
  options: Pick<XcoverOptions, "partnerCode" | "apiKey" | "apiSecret">
):
  | { ok: true; credentials: XcoverCredentials }
  | { ok: false; missing: string[] } {
  const { partnerCode, apiKey, apiSecret } = options
  if (partnerCode && apiKey && apiSecret) {
    return { ok: true, credentials: { partnerCode, apiKey, apiSecret } }
  }
  const missing = (["partnerCode", "apiKey", "apiSecret"] as const).filter(
    (k) => !options[k]
  )
  return { ok: false, missing }
}
