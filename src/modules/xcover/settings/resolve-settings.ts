import type { XcoverCallSettings } from "../client/xcover-client"
import {
  ADMIN_ENVIRONMENTS,
  type AdminEnvironment,
  type XcoverEnvironment,
} from "../models/xcover-settings"
import {
  DEFAULT_BASE_URL,
  SANDBOX_BASE_URL,
  type SignatureAlgorithm,
  type XcoverOptions,
} from "../options"

/** Where a value in effect comes from, as the admin page shows it. */
export type SettingSource = "admin" | "plugin_option" | "default" | "unset"

export type Sourced<T> = { value: T; source: SettingSource }

/** The saved row, without its bookkeeping columns. */
export type StoredSettings = {
  partner_code: string | null
  api_key: string | null
  api_secret_encrypted: string | null
  environment: XcoverEnvironment | null
  base_url: string | null
  signature_algorithm: SignatureAlgorithm | null
  enabled: boolean | null
}

/**
 * The settings in effect as the admin API returns them. The API secret is never part of it:
 * only whether one is set and whether it can be used.
 */
export type SettingsView = {
  partner_code: Sourced<string | null>
  api_key: Sourced<string | null>
  api_secret_set: Sourced<boolean>
  environment: Sourced<XcoverEnvironment>
  base_url: Sourced<string>
  signature_algorithm: Sourced<SignatureAlgorithm>
  enabled: Sourced<boolean>
  /** Whether an `encryptionKey` is configured, so that the admin can save a secret. */
  encryption_key_set: boolean
  /** Plain-language reasons why no call can be made with these settings (empty when ready). */
  problems: string[]
}

export type ResolvedSettings = {
  view: SettingsView
  /** Complete credentials (enabled or not), for the connection test. */
  credentials: XcoverCallSettings | null
  /** What the next opt-out uses: null while disabled or incomplete, so delivery stays idle. */
  call: XcoverCallSettings | null
}

/** The admin's saved API secret after decryption: absent, readable, or sealed under another key. */
export type AdminSecret =
  | { state: "none" }
  | { state: "readable"; value: string }
  | { state: "unreadable" }

/** The base URL of an environment the admin may choose. */
export function baseUrlOf(environment: AdminEnvironment): string {
  return environment === "production" ? DEFAULT_BASE_URL : SANDBOX_BASE_URL
}

/**
 * The environment saved in the admin, if it is one the admin may choose. A `custom` row (saved by
 * 0.1.0 with a URL typed in the admin) counts as not overridden: only the `baseUrl` plugin option
 * may send calls elsewhere.
 */
export function adminEnvironmentOf(
  stored: Pick<StoredSettings, "environment"> | null
): AdminEnvironment | null {
  const saved = stored?.environment ?? null
  return (ADMIN_ENVIRONMENTS as readonly string[]).includes(saved ?? "")
    ? (saved as AdminEnvironment)
    : null
}

function environmentOf(baseUrl: string): XcoverEnvironment {
  if (baseUrl === DEFAULT_BASE_URL) {
    return "production"
  }
  return baseUrl === SANDBOX_BASE_URL ? "sandbox" : "custom"
}

function pick<T>(
  admin: T | null,
  option: T | undefined,
  fallback?: T
): Sourced<T | null> {
  if (admin !== null) {
    return { value: admin, source: "admin" }
  }
  if (option !== undefined && option !== fallback) {
    return { value: option, source: "plugin_option" }
  }
  return fallback !== undefined
    ? { value: fallback, source: "default" }
    : { value: null, source: "unset" }
}

/**
 * Merges saved admin settings over plugin options, field by field: a value saved in the admin
 * wins, an unsaved one falls back to the option, then to the documented default. Pure, so that
 * the precedence rules are unit-tested without a database.
 */
export function resolveSettings(
  options: XcoverOptions,
  stored: StoredSettings | null,
  adminSecret: AdminSecret
): ResolvedSettings {
  const partnerCode = pick(stored?.partner_code ?? null, options.partnerCode)
  const apiKey = pick(stored?.api_key ?? null, options.apiKey)
  const algorithm = pick(
    stored?.signature_algorithm ?? null,
    options.signatureAlgorithm,
    "hmac-sha512"
  ) as Sourced<SignatureAlgorithm>
  const enabled = pick(
    stored?.enabled ?? null,
    undefined,
    true
  ) as Sourced<boolean>

  let environment: Sourced<XcoverEnvironment>
  let baseUrl: Sourced<string>
  const adminEnvironment = adminEnvironmentOf(stored)
  if (adminEnvironment) {
    environment = { value: adminEnvironment, source: "admin" }
    baseUrl = { value: baseUrlOf(adminEnvironment), source: "admin" }
  } else {
    const fromOption = options.baseUrl !== DEFAULT_BASE_URL
    environment = {
      value: environmentOf(options.baseUrl),
      source: fromOption ? "plugin_option" : "default",
    }
    baseUrl = {
      value: options.baseUrl,
      source: fromOption ? "plugin_option" : "default",
    }
  }

  const problems: string[] = []
  let apiSecret: string | null = null
  let secretSource: SettingSource = "unset"
  if (adminSecret.state === "readable") {
    apiSecret = adminSecret.value
    secretSource = "admin"
  } else if (adminSecret.state === "unreadable") {
    secretSource = "admin"
    problems.push(
      "The API secret saved in the admin cannot be decrypted: the encryptionKey plugin option (XCOVER_ENCRYPTION_KEY) is missing or not the key it was saved with. Set that key again, or save the API secret anew."
    )
  } else if (options.apiSecret) {
    apiSecret = options.apiSecret
    secretSource = "plugin_option"
  }

  const missing = [
    partnerCode.value ? null : "partner code",
    apiKey.value ? null : "API key",
    apiSecret || adminSecret.state === "unreadable" ? null : "API secret",
  ].filter((m): m is string => m !== null)
  if (missing.length) {
    problems.push(`Not configured yet: ${missing.join(", ")}.`)
  }
  if (!enabled.value) {
    problems.push(
      "XCover calls are disabled: declined offers stay pending until they are enabled again."
    )
  }

  const credentials: XcoverCallSettings | null =
    partnerCode.value && apiKey.value && apiSecret
      ? {
          partnerCode: partnerCode.value,
          apiKey: apiKey.value,
          apiSecret,
          baseUrl: baseUrl.value,
          signatureAlgorithm: algorithm.value,
          signedHeaders: options.signedHeaders,
        }
      : null

  return {
    view: {
      partner_code: partnerCode,
      api_key: apiKey,
      api_secret_set: {
        value: adminSecret.state !== "none" || Boolean(options.apiSecret),
        source: secretSource,
      },
      environment,
      base_url: baseUrl,
      signature_algorithm: algorithm,
      enabled,
      encryption_key_set: Boolean(options.encryptionKey),
      problems,
    },
    credentials,
    call: enabled.value ? credentials : null,
  }
}
