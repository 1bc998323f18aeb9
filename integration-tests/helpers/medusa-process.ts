import { spawn, type ChildProcess } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createServer, type AddressInfo } from "node:net"
import os from "node:os"
import path from "node:path"
import { Client } from "pg"
import { setTimeout as sleep } from "node:timers/promises"

/**
 * Medusa as separate server processes on one database: what a store running several instances
 * (or restarting) looks like, which one in-process test app cannot show.
 */

const ROOT = path.resolve(__dirname, "../..")
const MEDUSA_BIN = path.join(ROOT, "node_modules/.bin/medusa")

function pgConfig(database: string) {
  return {
    host: process.env.DB_HOST ?? "localhost",
    port: Number(process.env.DB_PORT ?? 5432),
    user: process.env.DB_USERNAME ?? "postgres",
    password: process.env.DB_PASSWORD ?? "",
    database,
  }
}

export function databaseUrl(database: string): string {
  const c = pgConfig(database)
  const auth = c.password ? `${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}` : encodeURIComponent(c.user)
  return `postgres://${auth}@${c.host}:${c.port}/${database}`
}

/** Runs SQL on a database of the test server. */
export async function sql<T = Record<string, unknown>>(database: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client(pgConfig(database))
  await client.connect()
  try {
    return (await client.query(text, params)).rows as T[]
  } finally {
    await client.end()
  }
}

export async function createDatabase(name: string): Promise<void> {
  await sql("postgres", `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
  await sql("postgres", `CREATE DATABASE "${name}"`)
}

export async function dropDatabase(name: string): Promise<void> {
  await sql("postgres", `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** Runs a medusa CLI command to completion; rejects with its output tail on failure. */
export function runMedusa(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(MEDUSA_BIN, args, { cwd: ROOT, env: { ...process.env, ...env } })
    let output = ""
    child.stdout.on("data", (d) => (output += d))
    child.stderr.on("data", (d) => (output += d))
    child.on("exit", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`medusa ${args.join(" ")} exited ${code}:\n${output.slice(-3000)}`))
    )
  })
}

/** Creates the database and applies every migration, the plugin's included. */
export async function prepareDatabase(name: string, env: Record<string, string>): Promise<void> {
  await createDatabase(name)
  await runMedusa(["db:migrate"], { ...env, DATABASE_URL: databaseUrl(name) })
}

/** Seeds the store through `medusa exec` (the same seed the in-process tests use). */
export async function seedDatabase<T>(name: string, env: Record<string, string>): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "xcover-seed-"))
  const out = path.join(dir, "seed.json")
  try {
    await runMedusa(["exec", "./integration-tests/helpers/seed-exec.ts"], {
      ...env,
      DATABASE_URL: databaseUrl(name),
      XCOVER_SEED_OUTPUT: out,
    })
    return JSON.parse(readFileSync(out, "utf8")) as T
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export class MedusaProcess {
  private child: ChildProcess | null = null
  private output = ""
  readonly url: string

  constructor(readonly port: number, private readonly env: Record<string, string>) {
    this.url = `http://127.0.0.1:${port}`
  }

  /** Starts `medusa start` and waits until /health answers. */
  async start(): Promise<this> {
    const child = spawn(MEDUSA_BIN, ["start"], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, PORT: String(this.port), MEDUSA_DISABLE_ADMIN: "true" },
    })
    this.child = child
    child.stdout?.on("data", (d) => (this.output = (this.output + d).slice(-20_000)))
    child.stderr?.on("data", (d) => (this.output = (this.output + d).slice(-20_000)))
    const deadline = Date.now() + 90_000
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`medusa start exited ${child.exitCode}:\n${this.output.slice(-3000)}`)
      }
      const healthy = await fetch(`${this.url}/health`).then((r) => r.ok, () => false)
      if (healthy) {
        break
      }
      if (Date.now() > deadline) {
        throw new Error(`medusa start not healthy after 90 s:\n${this.output.slice(-3000)}`)
      }
      await sleep(250)
    }
    return this
  }

  /** Recent server output, for failure messages. */
  logs(): string {
    return this.output
  }

  /** SIGTERM (a restart) or SIGKILL (a crash); resolves when the process is gone. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.child
    this.child = null
    if (!child || child.exitCode !== null) {
      return
    }
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
    child.kill(signal)
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000)
    await exited
    clearTimeout(timer)
  }
}
