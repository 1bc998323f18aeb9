import { randomBytes } from "node:crypto"
import {
  createDatabase,
  databaseUrl,
  dbEnvFromProcess,
  dropDatabase,
  query,
} from "../../scripts/lib/postgres"

export type TestDatabase = {
  name: string
  /** A `DATABASE_URL` for Medusa. */
  url: string
  query<T = Record<string, unknown>>(
    sql: string,
    params?: unknown[]
  ): Promise<T[]>
  /** Drops the database (closing other sessions first); safe to call twice. */
  drop(): Promise<void>
}

/**
 * A uniquely named database on the server scripts/test.mjs chose, so this suite never touches
 * another run's data even on a shared server.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const env = dbEnvFromProcess()
  const name = `xcover_pkg_${process.pid}_${randomBytes(4).toString("hex")}`
  await createDatabase(env, name)
  let dropped = false
  return {
    name,
    url: databaseUrl(env, name),
    query: (sql, params) => query(env, name, sql, params),
    async drop() {
      if (!dropped) {
        dropped = true
        await dropDatabase(env, name)
      }
    },
  }
}
