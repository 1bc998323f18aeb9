import { Client } from "pg"

/** Connection settings as `ensureDatabase` (scripts/lib/database.mjs) returns them. */
export type DbEnv = { DB_HOST: string; DB_PORT: string; DB_USERNAME: string; DB_PASSWORD: string }

export function databaseUrl(env: DbEnv, database: string): string {
  const auth = env.DB_PASSWORD ? `${encodeURIComponent(env.DB_USERNAME)}:${encodeURIComponent(env.DB_PASSWORD)}` : encodeURIComponent(env.DB_USERNAME)
  return `postgres://${auth}@${env.DB_HOST}:${env.DB_PORT}/${database}`
}

/** Runs statements on the server's `postgres` database (CREATE/DROP DATABASE cannot run in the target). */
export async function adminQuery(env: DbEnv, ...statements: string[]): Promise<void> {
  const client = new Client({ host: env.DB_HOST, port: Number(env.DB_PORT), user: env.DB_USERNAME, password: env.DB_PASSWORD, database: "postgres" })
  await client.connect()
  try {
    for (const sql of statements) {
      await client.query(sql)
    }
  } finally {
    await client.end()
  }
}

/** Creates the database unless it exists. */
export async function createDatabase(env: DbEnv, name: string): Promise<void> {
  const client = new Client({ host: env.DB_HOST, port: Number(env.DB_PORT), user: env.DB_USERNAME, password: env.DB_PASSWORD, database: "postgres" })
  await client.connect()
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${name}"`)
    }
  } finally {
    await client.end()
  }
}
