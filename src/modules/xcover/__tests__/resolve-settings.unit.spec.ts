import { networkOutcome, responseOutcome } from "../client/outcome"
import { parseXcoverOptions, type XcoverOptions } from "../options"
import { describeProbe } from "../settings/connection-test"
import { resolveSettings } from "../settings/resolve-settings"
import { NO_OVERRIDES } from "../settings/settings-store"

function options(raw: Record<string, unknown>): XcoverOptions {
  const parsed = parseXcoverOptions(raw)
  if (!parsed.ok) {
    throw new Error(parsed.message)
  }
  return parsed.options
}

const none = NO_OVERRIDES
const fromConfig = options({
  partnerCode: "OPT",
  apiKey: "opt-key",
  apiSecret: "opt-secret",
  baseUrl: "https://xcover.test/x",
})

describe("resolveSettings", () => {
  it("uses plugin options and defaults when nothing is saved, and says so", () => {
    const { view, call } = resolveSettings(fromConfig, null, { state: "none" })
    expect(call).toEqual({
      partnerCode: "OPT",
      apiKey: "opt-key",
      apiSecret: "opt-secret",
      baseUrl: "https://xcover.test/x",
      signatureAlgorithm: "hmac-sha512",
      signedHeaders: "date",
    })
    expect(view).toMatchObject({
      partner_code: { value: "OPT", source: "plugin_option" },
      api_secret_set: { value: true, source: "plugin_option" },
      environment: { value: "custom", source: "plugin_option" },
      signature_algorithm: { value: "hmac-sha512", source: "default" },
      enabled: { value: true, source: "default" },
      problems: [],
    })
    expect(JSON.stringify(view)).not.toContain("opt-secret")
  })

  it("lets each saved value override its option", () => {
    const stored = {
      ...none,
      api_key: "admin-key",
      environment: "sandbox" as const,
      signature_algorithm: "hmac-sha256" as const,
    }
    const { view, call } = resolveSettings(fromConfig, stored, {
      state: "readable",
      value: "admin-secret",
    })
    expect(call).toMatchObject({
      partnerCode: "OPT",
      apiKey: "admin-key",
      apiSecret: "admin-secret",
      baseUrl: "https://api.xcover-staging.com/xcover",
      signatureAlgorithm: "hmac-sha256",
    })
    expect(view.api_key.source).toBe("admin")
    expect(view.partner_code.source).toBe("plugin_option")
    expect(view.api_secret_set).toEqual({ value: true, source: "admin" })
    expect(view.base_url).toEqual({
      value: "https://api.xcover-staging.com/xcover",
      source: "admin",
    })
  })

  it("ignores a custom base URL saved in the admin by 0.1.0: only the plugin option sets one", () => {
    const legacy = {
      ...none,
      environment: "custom" as const,
      base_url: "https://attacker.test/x",
    }
    const { view, call } = resolveSettings(fromConfig, legacy, {
      state: "none",
    })
    expect(call?.baseUrl).toBe("https://xcover.test/x")
    expect(view.environment).toEqual({
      value: "custom",
      source: "plugin_option",
    })
    expect(view.base_url).toEqual({
      value: "https://xcover.test/x",
      source: "plugin_option",
    })
    const withoutOption = resolveSettings(
      options({ partnerCode: "P", apiKey: "k", apiSecret: "s" }),
      legacy,
      { state: "none" }
    )
    expect(withoutOption.call?.baseUrl).toBe("https://api.xcover.com/x")
    expect(withoutOption.view.environment).toEqual({
      value: "production",
      source: "default",
    })
  })

  it("is idle while disabled but still gives credentials to the connection test", () => {
    const { call, credentials, view } = resolveSettings(
      fromConfig,
      { ...none, enabled: false },
      { state: "none" }
    )
    expect(call).toBeNull()
    expect(credentials?.partnerCode).toBe("OPT")
    expect(view.problems.join(" ")).toMatch(/disabled/)
  })

  it("is idle and explains why when the saved secret cannot be decrypted", () => {
    const { call, view } = resolveSettings(
      fromConfig,
      { ...none, api_secret_encrypted: "v1.x.y.z" },
      { state: "unreadable" }
    )
    expect(call).toBeNull()
    expect(view.problems.join(" ")).toMatch(/XCOVER_ENCRYPTION_KEY/)
  })

  it("names what is missing", () => {
    const { call, view } = resolveSettings(options({}), null, { state: "none" })
    expect(call).toBeNull()
    expect(view.problems).toEqual([
      "Not configured yet: partner code, API key, API secret.",
    ])
    expect(view.environment).toEqual({ value: "production", source: "default" })
    expect(view.encryption_key_set).toBe(false)
  })
})

describe("describeProbe", () => {
  const base = "https://xcover.test/x"
  const xcover404 =
    '{"type":"api_error","message":"Quote package does not exist"}'
  it.each([
    [
      "XCover's own 404 (its JSON error body)",
      responseOutcome(404, xcover404),
      {
        result: "accepted",
        http_status: 404,
        message: "Connected: XCover accepted the credentials.",
      },
    ],
    [
      "a 404 page that is not XCover's (a wrong base path)",
      responseOutcome(404, "<html><body><h1>404 Not Found</h1></body></html>"),
      {
        result: "unexpected",
        http_status: 404,
        message: `${base} answered HTTP 404 without XCover's error body: this does not look like XCover's API, the base URL is probably wrong. Check the environment or the baseUrl plugin option.`,
      },
    ],
    [
      "an empty 404",
      responseOutcome(404, ""),
      {
        result: "unexpected",
        http_status: 404,
        message: expect.stringContaining("the base URL is probably wrong"),
      },
    ],
    [
      "a JSON 404 without type and message",
      responseOutcome(404, '{"detail":"Not found."}'),
      {
        result: "unexpected",
        http_status: 404,
        message: expect.stringContaining("without XCover's error body"),
      },
    ],
    [
      "403",
      responseOutcome(
        403,
        '{"type":"auth_error","message":"You do not have permission to access this url"}'
      ),
      {
        result: "rejected",
        http_status: 403,
        message:
          "XCover rejected the credentials. Check the partner code, API key, API secret and signature algorithm, and that they belong to this environment.",
      },
    ],
    [
      "a timeout",
      networkOutcome("timeout", "no answer within 1000 ms"),
      {
        result: "unreachable",
        http_status: null,
        message: `XCover could not be reached at ${base}: it did not answer in time. Check the environment or base URL and the server's network access.`,
      },
    ],
    [
      "a refused connection",
      networkOutcome("network_error", "ECONNREFUSED"),
      {
        result: "unreachable",
        http_status: null,
        message: `XCover could not be reached at ${base}: the connection failed. Check the environment or base URL and the server's network access.`,
      },
    ],
    [
      "503",
      responseOutcome(503, '{"type":"api_error","message":"down"}'),
      {
        result: "unexpected",
        http_status: 503,
        message:
          "XCover answered with an unexpected HTTP 503 (api_error). Try again in a moment; if it persists, contact Cover Genius.",
      },
    ],
    [
      "204 (the made-up offer opted out)",
      responseOutcome(204, ""),
      {
        result: "unexpected",
        http_status: 204,
        message:
          "XCover answered with an unexpected HTTP 204. Try again in a moment; if it persists, contact Cover Genius.",
      },
    ],
  ])("reads %s", (_, outcome, expected) => {
    expect(describeProbe(outcome, base)).toEqual({
      base_url: base,
      ...expected,
    })
  })
})
