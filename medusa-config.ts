// The plugin's own dev/test app: it loads the plugin straight from `src/`.
// Stores install the published package instead: see README.md.
import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

const num = (v: string | undefined) => (v ? Number(v) : undefined)

// With REDIS_URL the app runs as it would on several instances: Redis event bus, workflow
// engine, locking and cache instead of the in-process defaults.
const redisUrl = process.env.REDIS_URL
const redisModules = redisUrl
  ? [
      { resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl } },
      {
        resolve: "@medusajs/medusa/workflow-engine-redis",
        options: { redis: { redisUrl } },
      },
      {
        resolve: "@medusajs/medusa/locking",
        options: {
          providers: [
            {
              resolve: "@medusajs/medusa/locking-redis",
              id: "locking-redis",
              is_default: true,
              options: { redisUrl },
            },
          ],
        },
      },
    ]
  : []

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000",
      authCors: process.env.AUTH_CORS || "http://localhost:9000",
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
    redisUrl,
    workerMode:
      (process.env.MEDUSA_WORKER_MODE as
        "shared" | "worker" | "server" | undefined) || "shared",
  },
  // Process-based tests and the benchmarks run without the admin (no build needed for `medusa start`).
  admin: { disable: process.env.MEDUSA_DISABLE_ADMIN === "true" },
  modules: [
    ...redisModules,
    {
      resolve: "./src/modules/xcover",
      options: {
        partnerCode: process.env.XCOVER_PARTNER_CODE,
        apiKey: process.env.XCOVER_API_KEY,
        apiSecret: process.env.XCOVER_API_SECRET,
        encryptionKey: process.env.XCOVER_ENCRYPTION_KEY,
        baseUrl: process.env.XCOVER_BASE_URL,
        signatureAlgorithm: process.env.XCOVER_SIGNATURE_ALGORITHM || undefined,
        signedHeaders: process.env.XCOVER_SIGNED_HEADERS || undefined,
        timeoutMs: num(process.env.XCOVER_TIMEOUT_MS),
        maxRequestsPerSecond: num(process.env.XCOVER_MAX_REQUESTS_PER_SECOND),
        maxOfferRequestsPerSecond: num(
          process.env.XCOVER_MAX_OFFER_REQUESTS_PER_SECOND
        ),
        maxQuotesPerCartPerMinute: num(
          process.env.XCOVER_MAX_QUOTES_PER_CART_PER_MINUTE
        ),
        booking: process.env.XCOVER_BOOKING
          ? process.env.XCOVER_BOOKING !== "false"
          : undefined,
        storefrontOfferBooking:
          (process.env.XCOVER_STOREFRONT_OFFER_BOOKING as
            "book_and_flag" | "hold_for_review" | undefined) || undefined,
        language: process.env.XCOVER_LANGUAGE || undefined,
        retry: {
          maxAgeMs: num(process.env.XCOVER_RETRY_MAX_AGE_MS),
          baseDelayMs: num(process.env.XCOVER_RETRY_BASE_DELAY_MS),
          maxDelayMs: num(process.env.XCOVER_RETRY_MAX_DELAY_MS),
        },
      },
    },
  ],
})
