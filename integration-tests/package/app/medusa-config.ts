// A store's config as the README tells store developers to write it: the plugin is installed
// from its packed tarball and registered by package name. Copied into a throwaway app by
// integration-tests/package/installed-app.ts; the test passes everything through env.
import { defineConfig } from "@medusajs/framework/utils"

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: "http://localhost:8000",
      adminCors: "http://localhost:9000",
      authCors: "http://localhost:9000",
      jwtSecret: "supersecret",
      cookieSecret: "supersecret",
    },
  },
  plugins: [
    {
      resolve: "medusa-plugin-xcover",
      options: {
        partnerCode: process.env.XCOVER_PARTNER_CODE,
        apiKey: process.env.XCOVER_API_KEY,
        apiSecret: process.env.XCOVER_API_SECRET,
        baseUrl: process.env.XCOVER_BASE_URL,
        timeoutMs: 1000,
        maxRequestsPerSecond: 0,
        maxOfferRequestsPerSecond: 0,
        retry: { baseDelayMs: 200, maxDelayMs: 1000 },
      },
    },
  ],
})
