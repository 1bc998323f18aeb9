import { createMedusaContainer } from "@medusajs/framework/utils"
import validateOptionsLoader, {
  XCOVER_OPTIONS_KEY,
} from "../loaders/validate-options"
import { parseXcoverOptions, type XcoverOptions } from "../options"

const creds = { partnerCode: "P", apiKey: "k", apiSecret: "very-secret-value" }

describe("plugin options", () => {
  it("fills documented defaults", () => {
    const parsed = parseXcoverOptions(creds)
    expect(parsed).toEqual({
      ok: true,
      options: {
        ...creds,
        baseUrl: "https://api.xcover.com/x",
        signatureAlgorithm: "hmac-sha512",
        signedHeaders: "date",
        timeoutMs: 10_000,
        booking: true,
        storefrontOfferBooking: "book_and_flag",
        language: "en",
        maxRequestsPerSecond: 20,
        maxOfferRequestsPerSecond: 50,
        maxQuotesPerCartPerMinute: 10,
        retry: {
          maxAgeMs: 86_400_000,
          baseDelayMs: 30_000,
          maxDelayMs: 7_200_000,
        },
      },
    })
  })

  it("treats empty strings as not set", () => {
    const parsed = parseXcoverOptions({
      partnerCode: "",
      apiKey: " ",
      baseUrl: "",
    })
    expect(parsed.ok && parsed.options).toMatchObject({
      partnerCode: undefined,
      apiKey: undefined,
      baseUrl: "https://api.xcover.com/x",
    })
  })

  it.each([
    [{ signatureAlgorithm: "hmac-sha1" }, "signatureAlgorithm"],
    [{ signedHeaders: "host date" }, "signedHeaders"],
    [{ timeoutMs: 10 }, "timeoutMs"],
    [{ baseUrl: "ftp://x" }, "baseUrl"],
    [{ maxRequestsPerSecond: -1 }, "maxRequestsPerSecond"],
    [{ maxOfferRequestsPerSecond: -1 }, "maxOfferRequestsPerSecond"],
    [{ storefrontOfferBooking: "hold" }, "storefrontOfferBooking"],
    [{ retry: { maxDelayMs: "soon" } }, "retry.maxDelayMs"],
    [{ encryptionKey: "too-short" }, "encryptionKey"],
  ])("names the bad option in %j", (bad, name) => {
    const parsed = parseXcoverOptions({ ...creds, ...bad })
    expect(parsed.ok).toBe(false)
    expect(!parsed.ok && parsed.message).toContain(`xcover option "${name}"`)
  })

  it("never echoes a value in the message", () => {
    const parsed = parseXcoverOptions({ ...creds, apiSecret: 12345678 })
    expect(!parsed.ok && parsed.message).toContain('"apiSecret"')
    expect(!parsed.ok && parsed.message).not.toContain("12345678")
  })
})

describe("options loader", () => {
  const logger = () => {
    const lines: string[] = []
    const log = (m: string) => lines.push(m)
    return {
      lines,
      logger: { warn: log, info: log, error: log, debug: log } as never,
    }
  }

  it("stops the boot on an invalid value, naming it", async () => {
    const { logger: l } = logger()
    await expect(
      validateOptionsLoader({
        container: createMedusaContainer(),
        options: { ...creds, timeoutMs: "fast" },
        logger: l,
      })
    ).rejects.toThrow(/xcover option "timeoutMs"/)
  })

  it("boots idle with one warning when credentials are missing", async () => {
    const { lines, logger: l } = logger()
    const container = createMedusaContainer()
    await validateOptionsLoader({
      container,
      options: { partnerCode: "P" },
      logger: l,
    })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/idle: apiKey, apiSecret not set/)
    expect(
      container.resolve<XcoverOptions>(XCOVER_OPTIONS_KEY).partnerCode
    ).toBe("P")
  })

  it("is silent with full credentials and keeps the secret out of every line", async () => {
    const { lines, logger: l } = logger()
    await validateOptionsLoader({
      container: createMedusaContainer(),
      options: creds,
      logger: l,
    })
    expect(lines).toEqual([])
  })
})
