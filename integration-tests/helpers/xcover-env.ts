import { XcoverStandIn, type StandInOptions } from "../xcover-stand-in/server"

export const TEST_CREDENTIALS = {
  partnerCode: "TESTPARTNER",
  apiKey: "test-key-7f3a",
  // Characters that must survive signing and never show up in output.
  apiSecret: "sup3r/s3cret+value=",
}

/**
 * Plugin options (as the env vars medusa-config.ts reads) for tests: the stand-in's URL and
 * short timeouts, retry delays and dispatch period, so that retries happen within seconds.
 */
export function xcoverTestEnv(
  baseUrl: string,
  extra: Record<string, string> = {}
): Record<string, string> {
  return {
    XCOVER_PARTNER_CODE: TEST_CREDENTIALS.partnerCode,
    XCOVER_API_KEY: TEST_CREDENTIALS.apiKey,
    XCOVER_API_SECRET: TEST_CREDENTIALS.apiSecret,
    XCOVER_BASE_URL: baseUrl,
    XCOVER_TIMEOUT_MS: "1000",
    XCOVER_MAX_REQUESTS_PER_SECOND: "0",
    XCOVER_MAX_OFFER_REQUESTS_PER_SECOND: "0",
    XCOVER_RETRY_BASE_DELAY_MS: "200",
    XCOVER_RETRY_MAX_DELAY_MS: "1000",
    XCOVER_RETRY_MAX_AGE_MS: "600000",
    XCOVER_DISPATCH_SCHEDULE: "* * * * * *",
    ...extra,
  }
}

/**
 * Starts the XCover stand-in before Medusa boots and points the plugin's options (read from env
 * by medusa-config.ts) at it. Call at the top of a test file, before medusaIntegrationTestRunner.
 */
export function useXcoverStandIn(
  env: Record<string, string> = {},
  standInOptions: Partial<StandInOptions> = {}
): XcoverStandIn {
  const standIn = new XcoverStandIn({ ...TEST_CREDENTIALS, ...standInOptions })
  beforeAll(async () => {
    await standIn.start(0)
    Object.assign(process.env, xcoverTestEnv(standIn.baseUrl, env))
  })
  afterAll(() => standIn.stop())
  return standIn
}
