#!/usr/bin/env node
// `npm test`: unit tests, then the HTTP integration tests against a real PostgreSQL
// (configured, local, or embedded: see scripts/lib/database.mjs), then a tiny benchmark run.
// Extra arguments go to jest.
import { spawn } from "node:child_process"
import { ensureDatabase } from "./lib/database.mjs"

const args = process.argv.slice(2)
const integrationOnly = args.includes("--integration-only")
const jestArgs = args.filter((a) => a !== "--integration-only")

function jest(project, extraEnv = {}, extra = []) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["node_modules/jest/bin/jest.js", "--selectProjects", project, ...extra, ...jestArgs],
      { stdio: "inherit", env: { ...process.env, ...extraEnv } }
    )
    child.on("exit", (code, signal) => resolve(signal ? 1 : code ?? 1))
  })
}

let status = 0
if (!integrationOnly) {
  status = await jest("unit", { TEST_TYPE: "unit" })
}
if (status === 0) {
  const db = await ensureDatabase({ log: (m) => console.log(`[test] ${m}`) })
  console.log(`[test] integration tests use ${db.source}`)
  const stop = async () => {
    await db.stop()
    process.exit(1)
  }
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
  try {
    status = await jest("integration", { LOG_LEVEL: process.env.LOG_LEVEL ?? "warn", ...db.env, TEST_TYPE: "integration:http", NODE_OPTIONS: "--experimental-vm-modules --max-old-space-size=4096" }, ["--runInBand", "--forceExit"])
    if (status === 0) {
      // A tiny run of `npm run bench` (its own Medusa servers and databases) so it keeps working.
      status = await jest("bench", db.env, ["--runInBand"])
    }
  } finally {
    await db.stop()
  }
}
process.exit(status)
