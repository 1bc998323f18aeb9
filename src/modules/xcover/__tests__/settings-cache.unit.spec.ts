import type { Logger } from "@medusajs/framework/types"
import { parseXcoverOptions } from "../options"
import type { StoredSettings } from "../settings/resolve-settings"
import {
  NO_OVERRIDES,
  SETTINGS_COLUMNS,
  XcoverSettingsStore,
} from "../settings/settings-store"
import type { SqlExecutor } from "../sql"

const parsed = parseXcoverOptions({
  partnerCode: "OPT",
  apiKey: "opt-key",
  apiSecret: "opt-secret",
  baseUrl: "https://xcover.test/x",
})
if (!parsed.ok) {
  throw new Error(parsed.message)
}
const logger = {
  warn: () => undefined,
  error: () => undefined,
  info: () => undefined,
} as unknown as Logger

/** One settings row in memory; every statement is counted, and a write gives the row a new version. */
function fakeDb() {
  const db = {
    row: null as (StoredSettings & { version_: string }) | null,
    reads: 0,
    writes: 0,
    execute: async (
      sql: string,
      params: unknown[] = []
    ): Promise<Record<string, unknown>[]> => {
      if (sql.startsWith("SELECT")) {
        db.reads++
        return db.row ? [{ ...db.row }] : []
      }
      db.writes++
      // The upsert's values follow its id and scope, in the store's column order.
      db.row = {
        ...(Object.fromEntries(
          SETTINGS_COLUMNS.map((column, i) => [column, params[i + 2]])
        ) as unknown as StoredSettings),
        version_: `v${db.writes}`,
      }
      return []
    },
    /** `restore` of no previous row: the model's delete. */
    nativeDelete: async (): Promise<number> => {
      db.writes++
      db.row = null
      return 1
    },
  }
  return db
}

describe("the settings cache of the quote path (resolveAt)", () => {
  it("reads the row once per version, and a save in this process takes effect for the next call at once", async () => {
    const db = fakeDb()
    const store = new XcoverSettingsStore(
      db as unknown as SqlExecutor,
      parsed.options,
      logger
    )

    expect((await store.resolveAt(null)).call?.partnerCode).toBe("OPT")
    expect((await store.resolveAt(null)).call?.partnerCode).toBe("OPT")
    expect(db.reads).toBe(1)

    await store.save({ partner_code: "ADMIN" })
    const readsAfterSave = db.reads
    // Same version as before the save (what a caller read a moment earlier): dropped by the save.
    expect((await store.resolveAt(null)).call?.partnerCode).toBe("ADMIN")
    expect(db.reads).toBe(readsAfterSave + 1)
    expect((await store.resolveAt("v1")).call?.partnerCode).toBe("ADMIN")
    expect(db.reads).toBe(readsAfterSave + 1)
  })

  it("reads again when another process saved (the version changed)", async () => {
    const db = fakeDb()
    const store = new XcoverSettingsStore(
      db as unknown as SqlExecutor,
      parsed.options,
      logger
    )
    await store.resolveAt(null)
    // Another process's save: only the row changes.
    db.row = { ...NO_OVERRIDES, partner_code: "ELSEWHERE", version_: "v9" }
    expect((await store.resolveAt("v9")).call?.partnerCode).toBe("ELSEWHERE")
    expect(db.reads).toBe(2)
    // Removed in another process: no row, version null.
    db.row = null
    expect((await store.resolveAt(null)).call?.partnerCode).toBe("OPT")
    expect(db.reads).toBe(3)
  })
})
