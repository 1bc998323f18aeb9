import { Client } from "pg"

/** Connection settings as `ensureDatabase` (scripts/lib/database.mjs) returns them. */
export type DbEnv = { DB_HOST: string; DB_PORT: string; DB_USERNAME: string; DB_PASSWORD: string }

export function databaseUrl(env: DbEnv, database: string): string {
  const user = encodeURIComponent(env.DB_USERNAME)
  const auth = env.DB_PASSWORD ? `${user}:${encodeURIComponent(env.DB_PASSWORD)}` : user
  return `postgres://${auth}@${env.DB_HOST}:${env.DB_PORT}/${database}`
}

/** Works on the server's `postgres` database: CREATE/DROP DATABASE cannot run in their target. */
async function onServer<T>(env: DbEnv, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ host: env.DB_HOST, port: Number(env.DB_PORT), user: env.DB_USERNAME, password: env.DB_PASSWORD, database: "postgres" })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** Runs statements one after the other on the server's `postgres` database. */
export function adminQuery(env: DbEnv, ...statements: string[]): Promise<void> {
  return onServer(env, async (client) => {
    for (const sql of statements) {
      await client.query(sql)
    }
  })
}

/** Creates the database unless it exists. */
export function createDatabase(env: DbEnv, name: string): Promise<void> {
  return onServer(env, async (client) => {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${name}"`)
    }
  })
}
