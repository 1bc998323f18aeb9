import { execFile } from "node:child_process"
import {
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs"
import os from "node:os"
import path from "node:path"
import { promisify } from "node:util"

jest.setTimeout(120_000)

const ROOT = path.resolve(__dirname, "../..")
const asRoot = process.getuid?.() === 0

/**
 * What the demo does in step 2 (`ensureDatabase({ dataDir: .demo/pg })`), then a query; printed
 * as JSON. Run from a copy of scripts/lib inside the clone, like a fresh clone would.
 */
const CHECK = `
import path from "node:path"
import { ensureDatabase } from "./scripts/lib/database.mjs"
const db = await ensureDatabase({ dataDir: path.join(import.meta.dirname, ".demo", "pg") })
const { default: pg } = await import("pg")
const client = new pg.Client({ host: db.env.DB_HOST, port: Number(db.env.DB_PORT), user: db.env.DB_USERNAME, password: db.env.DB_PASSWORD, database: "postgres" })
try {
  await client.connect()
  await client.query("CREATE TABLE IF NOT EXISTS demo_runs (n int)")
  await client.query("INSERT INTO demo_runs VALUES (1)")
  const { rows } = await client.query("SELECT current_user AS who, count(*)::int AS runs FROM demo_runs")
  console.log(JSON.stringify({ source: db.source, ...rows[0] }))
} finally {
  await client.end()
  await db.stop()
}
`

/**
 * The demo's PostgreSQL from a clone in a folder only its owner may enter (`mktemp -d`, mode 700),
 * with no database configured and the embedded server forced (a server answers on 5432 here).
 * As root (CI) the server must run as another user, who cannot enter that folder.
 */
describe("embedded PostgreSQL for the demo, from a mode-700 folder", () => {
  let dir: string
  let clone: string

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "xcover-clone-"))
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    clone = path.join(dir, "medusa-plugin-xcover")
    mkdirSync(clone)
    cpSync(
      path.join(ROOT, "scripts", "lib"),
      path.join(clone, "scripts", "lib"),
      { recursive: true }
    )
    // node_modules reached through the clone (--preserve-symlinks below keeps that path), so the
    // embedded binaries sit behind the mode-700 folder exactly as in a real clone.
    symlinkSync(
      path.join(ROOT, "node_modules"),
      path.join(clone, "node_modules")
    )
    writeFileSync(path.join(clone, "check.mjs"), CHECK)
  })

  afterAll(() => {
    const link = path.join(clone, ".demo", "pg")
    const kept = lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink()
      ? readlinkSync(link)
      : null
    rmSync(dir, { recursive: true, force: true })
    if (kept) {
      rmSync(kept, { recursive: true, force: true })
    }
  })

  const runDemoDatabase = async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, XCOVER_DB: "embedded" }
    for (const name of [
      "DB_HOST",
      "DB_PORT",
      "DB_USERNAME",
      "DB_PASSWORD",
      "DATABASE_URL",
    ]) {
      delete env[name]
    }
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        "--preserve-symlinks",
        "--preserve-symlinks-main",
        path.join(clone, "check.mjs"),
      ],
      { cwd: clone, env }
    )
    return JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as {
      source: string
      who: string
      runs: number
    }
  }

  it("starts, answers a query, and keeps its data for the next run", async () => {
    const first = await runDemoDatabase()
    expect(first).toMatchObject({ who: "postgres", runs: 1 })
    expect(first.source).toMatch(/^embedded PostgreSQL/)

    const data = path.join(clone, ".demo", "pg")
    if (asRoot) {
      // The server's user cannot enter the clone: the data lives where it can, .demo/pg links there.
      expect(lstatSync(data).isSymbolicLink()).toBe(true)
      const target = readlinkSync(data)
      expect(target.startsWith(dir)).toBe(false)
      expect(statSync(target).uid).not.toBe(0)
      expect(first.source).toContain(target)
    } else {
      expect(lstatSync(data).isDirectory()).toBe(true)
    }

    const second = await runDemoDatabase()
    expect(second).toMatchObject({ who: "postgres", runs: 2 })
  })
})
