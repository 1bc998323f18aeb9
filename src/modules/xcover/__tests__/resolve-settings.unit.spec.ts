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
const fromConfig = options({ partnerCode: "OPT", apiKey: "opt-key", apiSecret: "opt-secret", baseUrl: "https://xcover.test/x" })

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
    const stored = { ...none, api_key: "admin-key", environment: "sandbox" as const, signature_algorithm: "hmac-sha256" as const }
    const { view, call } = resolveSettings(fromConfig, stored, { state: "readable", value: "admin-secret" })
    expect(call).toMatchObject({
      partnerCode: "OPT",
      apiKey: "admin-key",
      apiSecret: "admin-secret",
      baseUrl: "https://api.staging.xcover.com/x",
      signatureAlgorithm: "hmac-sha256",
    })
    expect(view.api_key.source).toBe("admin")
    expect(view.partner_code.source).toBe("plugin_option")
    expect(view.api_secret_set).toEqual({ value: true, source: "admin" })
    expect(view.base_url).toEqual({ value: "https://api.staging.xcover.com/x", source: "admin" })
  })

  it("is idle while disabled but still gives credentials to the connection test", () => {
    const { call, credentials, view } = resolveSettings(fromConfig, { ...none, enabled: false }, { state: "none" })
    expect(call).toBeNull()
    expect(credentials?.partnerCode).toBe("OPT")
    expect(view.problems.join(" ")).toMatch(/disabled/)
  })

  it("is idle and explains why when the saved secret cannot be decrypted", () => {
    const { call, view } = resolveSettings(fromConfig, { ...none, api_secret_encrypted: "v1.x.y.z" }, { state: "unreadable" })
    expect(call).toBeNull()
    expect(view.problems.join(" ")).toMatch(/XCOVER_ENCRYPTION_KEY/)
  })

  it("names what is missing", () => {
    const { call, view } = resolveSettings(options({}), null, { state: "none" })
    expect(call).toBeNull()
    expect(view.problems).toEqual(["Not configured yet: partner code, API key, API secret."])
    expect(view.environment).toEqual({ value: "production", source: "default" })
    expect(view.encryption_key_set).toBe(false)
  })
})

describe("describeProbe", () => {
  const base = "https://xcover.test/x"
  it.each([
    [responseOutcome(404, '{"type":"api_error","message":"Quote package does not exist"}'), "accepted"],
    [responseOutcome(403, '{"type":"auth_error","message":"no"}'), "rejected"],
    [networkOutcome("timeout", "no answer within 1000 ms"), "unreachable"],
    [networkOutcome("network_error", "ECONNREFUSED"), "unreachable"],
    [responseOutcome(503, ""), "unexpected"],
  ])("reads %j as %s", (outcome, result) => {
    const found = describeProbe(outcome, base)
    expect(found.result).toBe(result)
    expect(found.message.length).toBeGreaterThan(10)
  })
})
