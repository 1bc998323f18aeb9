#!/usr/bin/env node
// `npm test`: unit tests, then the HTTP integration tests against a real PostgreSQL
// (configured, local, or embedded: see scripts/lib/database.mjs), then the package tests (the
// packed plugin installed into a separate Medusa app). `--integration-only` / `--package-only`
// run one of the last two. Other arguments go to jest.
import { spawn } from "node:child_process"
import { ensureDatabase, freePort } from "./lib/database.mjs"

const args = process.argv.slice(2)
const ONLY_FLAGS = { "--integration-only": "integration", "--package-only": "package" }
const only = args.map((a) => ONLY_FLAGS[a]).find(Boolean) ?? null
const jestArgs = args.filter((a) => !(a in ONLY_FLAGS))

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
if (!only) {
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
    if (only !== "package") {
      status = await jest("integration", { LOG_LEVEL: process.env.LOG_LEVEL ?? "warn", ...db.env, TEST_TYPE: "integration:http", NODE_OPTIONS: "--experimental-vm-modules --max-old-space-size=4096" }, ["--runInBand", "--forceExit"])
    }
    if (status === 0 && only !== "integration") {
      // The installed app creates its own database on the same server and listens on this port.
      status = await jest("package", { ...db.env, XCOVER_APP_PORT: String(await freePort()) }, ["--runInBand"])
    }
  } finally {
    await db.stop()
  }
}
process.exit(status)
