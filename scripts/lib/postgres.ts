import { Client } from "pg"

/** Connection settings as `ensureDatabase` (scripts/lib/database.mjs) returns them. */
export type DbEnv = {
  DB_HOST: string
  DB_PORT: string
  DB_USERNAME: string
  DB_PASSWORD: string
}

export function databaseUrl(env: DbEnv, database: string): string {
  const user = encodeURIComponent(env.DB_USERNAME)
  const auth = env.DB_PASSWORD
    ? `${user}:${encodeURIComponent(env.DB_PASSWORD)}`
    : user
  return `postgres://${auth}@${env.DB_HOST}:${env.DB_PORT}/${database}`
}

/** DB_* from the environment, as scripts/test.mjs sets them for every database stage. */
export function dbEnvFromProcess(): DbEnv {
  const {
    DB_HOST,
    DB_PORT = "5432",
    DB_USERNAME = "postgres",
    DB_PASSWORD = "",
  } = process.env
  if (!DB_HOST) {
    throw new Error(
      "DB_HOST is not set: run this through `npm test` (scripts/test.mjs picks the server)"
    )
  }
  return { DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD }
}

/** Runs one query on the given database and returns its rows. */
export async function query<T = Record<string, unknown>>(
  env: DbEnv,
  database: string,
  sql: string,
  params: unknown[] = []
): Promise<T[]> {
  return withClient(
    env,
    database,
    async (client) => (await client.query(sql, params)).rows as T[]
  )
}

/** Drops the database, closing other sessions first; a missing one is fine. */
export function dropDatabase(env: DbEnv, name: string): Promise<void> {
  return adminQuery(env, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
}

/** Works on the server's `postgres` database: CREATE/DROP DATABASE cannot run in their target. */
function onServer<T>(
  env: DbEnv,
  work: (client: Client) => Promise<T>
): Promise<T> {
  return withClient(env, "postgres", work)
}

async function withClient<T>(
  env: DbEnv,
  database: string,
  work: (client: Client) => Promise<T>
): Promise<T> {
  const client = new Client({
    host: env.DB_HOST,
    port: Number(env.DB_PORT),
    user: env.DB_USERNAME,
    password: env.DB_PASSWORD,
    database,
  })
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
    const { rowCount } = await client.query(
      "SELECT 1 FROM pg_database WHERE datname = $1",
      [name]
    )
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${name}"`)
    }
  })
}
