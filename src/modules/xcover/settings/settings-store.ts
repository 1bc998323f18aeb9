import type { Logger } from "@medusajs/framework/types"
import { MedusaError, generateEntityId } from "@medusajs/framework/utils"
import { SecretBox } from "../crypto/secret-box"
import type { AdminEnvironment } from "../models/xcover-settings"
import type { SignatureAlgorithm, XcoverOptions } from "../options"
import type { SqlExecutor } from "../sql"
import { SettingsEntity } from "../orm"
import {
  adminEnvironmentOf,
  resolveSettings,
  type AdminSecret,
  type ResolvedSettings,
  type StoredSettings,
} from "./resolve-settings"

/**
 * A change from the admin. A field left out keeps its saved value; `null` removes the override
 * so the plugin option (or default) applies again. The API secret arrives already sealed
 * (`sealApiSecret`), so its plaintext never becomes workflow input.
 */
export type SaveSettingsInput = {
  partner_code?: string | null
  api_key?: string | null
  api_secret_sealed?: string | null
  /** Production or sandbox only: a custom base URL comes from the `baseUrl` plugin option alone. */
  environment?: AdminEnvironment | null
  signature_algorithm?: SignatureAlgorithm | null
  enabled?: boolean | null
}

const SCOPE = "default"

/**
 * The saved row's version (its `updated_at` to the microsecond, as text; null without a row), for
 * another statement to select: the quote's ledger read carries it, so checking the settings cache
 * costs no statement of its own.
 */
export const SETTINGS_VERSION_SQL = `SELECT updated_at::text FROM xcover_settings WHERE scope = '${SCOPE}' AND deleted_at IS NULL`

/** Binds a sealed secret to its column (additional authenticated data). */
const SECRET_AAD = "xcover_settings.api_secret"
/** The settings columns, in the order the upsert writes them. */
export const SETTINGS_COLUMNS = [
  "partner_code",
  "api_key",
  "api_secret_encrypted",
  "environment",
  "base_url",
  "signature_algorithm",
  "enabled",
] as const

export const ENCRYPTION_KEY_MISSING =
  "api_secret cannot be saved: no encryption key is configured. Set XCOVER_ENCRYPTION_KEY (at least 32 random characters, for example from `openssl rand -base64 32`), pass it as the encryptionKey option of medusa-plugin-xcover in medusa-config.ts and restart the server."

/** A row with no overrides. */
export const NO_OVERRIDES: StoredSettings = {
  partner_code: null,
  api_key: null,
  api_secret_encrypted: null,
  environment: null,
  base_url: null,
  signature_algorithm: null,
  enabled: null,
}

/**
 * Reads and writes the admin's settings row and merges it over the plugin options. `resolve` reads
 * the row on every call, so a change applies to the next XCover request in every process without
 * a restart. `resolveAt` serves the hot path (quotes): it reuses the settings last resolved while
 * the row's version (read by the caller in a statement it makes anyway) is unchanged.
 */
export class XcoverSettingsStore {
  private readonly box: SecretBox | null
  private warnedUnreadable = false
  private warnedCustomUrl = false
  /** The settings last resolved, by the version of the row they were resolved from. */
  private cached: {
    version: string | null
    settings: ResolvedSettings
  } | null = null

  constructor(
    private readonly db: SqlExecutor,
    private readonly options: XcoverOptions,
    private readonly logger: Logger
  ) {
    this.box = options.encryptionKey
      ? new SecretBox(options.encryptionKey)
      : null
  }

  async read(): Promise<StoredSettings | null> {
    return (await this.readVersioned()).stored
  }

  private async readVersioned(): Promise<{
    stored: StoredSettings | null
    version: string | null
  }> {
    // Raw SQL: the version is updated_at::text, to the microsecond as PostgreSQL keeps it (the ORM would give
    // a Date, to the millisecond), so it matches SETTINGS_VERSION_SQL.
    const [row] = await this.db.execute(
      `SELECT ${SETTINGS_COLUMNS.join(", ")}, updated_at::text AS version_ FROM xcover_settings WHERE scope = ? AND deleted_at IS NULL`,
      [SCOPE]
    )
    if (!row) {
      return { stored: null, version: null }
    }
    const { version_, ...stored } = row
    return {
      stored: stored as StoredSettings,
      version: (version_ as string | null) ?? null,
    }
  }

  /** The settings in effect, read now (and kept for `resolveAt`). */
  async resolve(): Promise<ResolvedSettings> {
    const { stored, version } = await this.readVersioned()
    const settings = this.resolveRow(stored)
    this.cached = { version, settings }
    return settings
  }

  /**
   * The settings in effect when the row's version is `version`: those kept from the last read
   * when it was the same version, else read now. A save in any process changes the version (and
   * one in this process drops the kept settings), so the next call sees it at once.
   */
  async resolveAt(version: string | null): Promise<ResolvedSettings> {
    const cached = this.cached
    return cached && cached.version === version
      ? cached.settings
      : this.resolve()
  }

  private resolveRow(stored: StoredSettings | null): ResolvedSettings {
    if (stored?.environment === "custom" && !this.warnedCustomUrl) {
      this.warnedCustomUrl = true
      this.logger.warn(
        "xcover: the custom base URL saved in the admin by an earlier version is ignored; calls go to the baseUrl plugin option (or production). Set baseUrl in medusa-config.ts if you need that URL"
      )
    }
    return resolveSettings(this.options, stored, this.adminSecret(stored))
  }

  /** Applies a change and returns the row as it was before, for a workflow's compensation. */
  async save(
    input: SaveSettingsInput
  ): Promise<{ previous: StoredSettings | null }> {
    const previous = await this.read()
    const next: StoredSettings = { ...(previous ?? NO_OVERRIDES) }
    const text = (v: string | null | undefined) =>
      v === undefined ? undefined : v?.trim() || null
    const assign = <K extends keyof StoredSettings>(
      key: K,
      value: StoredSettings[K] | undefined
    ) => {
      if (value !== undefined) {
        next[key] = value
      }
    }
    assign("partner_code", text(input.partner_code))
    assign("api_key", text(input.api_key))
    assign("signature_algorithm", input.signature_algorithm)
    assign("enabled", input.enabled)
    assign("environment", input.environment)
    // A custom URL saved by 0.1.0 is dropped with the next save (it is already ignored).
    next.environment = adminEnvironmentOf(next)
    next.base_url = null
    if (input.api_secret_sealed !== undefined) {
      next.api_secret_encrypted = input.api_secret_sealed
    }
    await this.write(next)
    return { previous }
  }

  /** Puts back a row returned by `save` (the sealed secret as it was). */
  async restore(previous: StoredSettings | null): Promise<void> {
    if (previous) {
      await this.write(previous)
    } else {
      this.cached = null
      await this.db.nativeDelete(SettingsEntity, { scope: SCOPE })
    }
  }

  /** Encrypts an API secret for `save`; refused (400) while no encryption key is configured. */
  seal(secret: string): string {
    if (!this.box) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        ENCRYPTION_KEY_MISSING
      )
    }
    return this.box.encrypt(secret, SECRET_AAD)
  }

  private adminSecret(stored: StoredSettings | null): AdminSecret {
    if (!stored?.api_secret_encrypted) {
      return { state: "none" }
    }
    const value =
      this.box?.decrypt(stored.api_secret_encrypted, SECRET_AAD) ?? null
    if (value === null) {
      if (!this.warnedUnreadable) {
        this.warnedUnreadable = true
        this.logger.error(
          "xcover: the API secret saved in the admin cannot be decrypted (encryptionKey missing or changed); XCover calls stay paused until it is fixed"
        )
      }
      return { state: "unreadable" }
    }
    this.warnedUnreadable = false
    return { state: "readable", value }
  }

  private async write(row: StoredSettings): Promise<void> {
    this.cached = null
    const values = SETTINGS_COLUMNS.map((c) => row[c])
    // Raw SQL: an upsert (INSERT … ON CONFLICT (scope) DO UPDATE), updated_at on the database clock (the
    // version every process compares).
    await this.db.execute(
      `INSERT INTO xcover_settings (id, scope, ${SETTINGS_COLUMNS.join(", ")}, created_at, updated_at)
       VALUES (?, ?, ${SETTINGS_COLUMNS.map(() => "?").join(", ")}, now(), now())
       ON CONFLICT (scope) WHERE deleted_at IS NULL
       DO UPDATE SET ${SETTINGS_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(", ")}, updated_at = now()`,
      [generateEntityId(undefined, "xcset"), SCOPE, ...values]
    )
  }
}
