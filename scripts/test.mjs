#!/usr/bin/env node
// `npm test`: unit tests, then the HTTP integration tests against a real PostgreSQL
// (configured, local, or embedded: see scripts/lib/database.mjs), then the admin's browser test
// (builds the admin dashboard, drives Chromium). Flags: --integration-only (no unit tests),
// --browser-only, --no-browser. Other arguments go to jest.
import { spawn } from "node:child_process"
import { createRequire } from "node:module"
import { ensureDatabase } from "./lib/database.mjs"

const FLAGS = ["--integration-only", "--browser-only", "--no-browser"]
const args = process.argv.slice(2)
const integrationOnly = args.includes("--integration-only")
const browserOnly = args.includes("--browser-only")
const noBrowser = args.includes("--no-browser")
const jestArgs = args.filter((a) => !FLAGS.includes(a))

function run(command, commandArgs, extraEnv = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { stdio: "inherit", env: { ...process.env, ...extraEnv } })
    child.on("exit", (code, signal) => resolve(signal ? 1 : code ?? 1))
  })
}

/** `medusa build --admin-only`: the dashboard with this plugin's extensions, into .medusa/admin. */
function buildAdmin() {
  const medusaCli = createRequire(import.meta.url).resolve("@medusajs/cli/cli.js")
  console.log("[test] building the admin dashboard for the browser test")
  return run(process.execPath, [medusaCli, "build", "--admin-only"])
}

function jest(project, extraEnv = {}, extra = []) {
  return run(process.execPath, ["node_modules/jest/bin/jest.js", "--selectProjects", project, ...extra, ...jestArgs], extraEnv)
}

let status = 0
if (!integrationOnly && !browserOnly) {
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
  const env = { LOG_LEVEL: process.env.LOG_LEVEL ?? "warn", ...db.env, TEST_TYPE: "integration:http", NODE_OPTIONS: "--experimental-vm-modules --max-old-space-size=4096" }
  try {
    if (!browserOnly) {
      status = await jest("integration", env, ["--runInBand", "--forceExit"])
    }
    if (status === 0 && !noBrowser) {
      status = await buildAdmin()
      if (status === 0) {
        status = await jest("browser", env, ["--runInBand", "--forceExit", "--passWithNoTests"])
      }
    }
  } finally {
    await db.stop()
  }
}
process.exit(status)
