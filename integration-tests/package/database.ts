import { randomBytes } from "node:crypto"
import { Client } from "pg"

export type TestDatabase = {
  name: string
  /** A `DATABASE_URL` for Medusa. */
  url: string
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>
  /** Drops the database (closing other sessions first); safe to call twice. */
  drop(): Promise<void>
}

function serverEnv() {
  const { DB_HOST, DB_PORT = "5432", DB_USERNAME = "postgres", DB_PASSWORD = "" } = process.env
  if (!DB_HOST) {
    throw new Error("DB_HOST is not set: run this suite through `npm test` (scripts/test.mjs picks the server)")
  }
  return { host: DB_HOST, port: Number(DB_PORT), user: DB_USERNAME, password: DB_PASSWORD }
}

async function withClient<T>(database: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ ...serverEnv(), database })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/**
 * A uniquely named database on the server scripts/test.mjs chose, so this suite never touches
 * another run's data even on a shared server.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `xcover_pkg_${process.pid}_${randomBytes(4).toString("hex")}`
  await withClient("postgres", (c) => c.query(`create database "${name}"`))
  const { host, port, user, password } = serverEnv()
  const auth = password ? `${encodeURIComponent(user)}:${encodeURIComponent(password)}` : encodeURIComponent(user)
  let dropped = false
  return {
    name,
    url: `postgres://${auth}@${host}:${port}/${name}`,
    query: (sql, params) => withClient(name, async (c) => (await c.query(sql, params)).rows),
    async drop() {
      if (!dropped) {
        dropped = true
        await withClient("postgres", (c) => c.query(`drop database if exists "${name}" with (force)`))
      }
    },
  }
}
