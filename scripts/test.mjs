#!/usr/bin/env node
// `npm test`: every stage below, in order, stopping at the first failure. All but `unit` run
// against a real PostgreSQL (configured, local, or embedded: see scripts/lib/database.mjs).
//   unit         jest project `unit`
//   integration  Medusa booted by @medusajs/test-utils and as `medusa start` processes
//   browser      builds the admin dashboard and the demo shop page, drives Debian's Chromium through them
//   bench        a tiny `npm run bench`, so the benchmarks keep working (no timing asserted)
//   package      the packed plugin installed into a separate Medusa app
// `--only=a,b` runs just those stages, `--skip=a,b` all but those. Other arguments go to jest.
import { spawn } from "node:child_process"
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs"
import { createRequire } from "node:module"
import os from "node:os"
import path from "node:path"
import { ensureDatabase, freePort } from "./lib/database.mjs"

const STAGES = ["unit", "integration", "browser", "bench", "package"]

const args = process.argv.slice(2)
const listFlag = (name) => {
  const flag = args.find((a) => a.startsWith(`--${name}=`))
  return flag
    ? flag
        .slice(name.length + 3)
        .split(",")
        .filter(Boolean)
    : null
}
const only = listFlag("only")
const skip = listFlag("skip") ?? []
for (const stage of [...(only ?? []), ...skip]) {
  if (!STAGES.includes(stage)) {
    console.error(
      `[test] unknown stage "${stage}"; stages: ${STAGES.join(", ")}`
    )
    process.exit(2)
  }
}
const stages = STAGES.filter(
  (s) => (only ? only.includes(s) : true) && !skip.includes(s)
)
const jestArgs = args.filter(
  (a) => !a.startsWith("--only=") && !a.startsWith("--skip=")
)

function run(command, commandArgs, extraEnv = {}, logFile = null) {
  return new Promise((resolve) => {
    const out = logFile ? openSync(logFile, "w") : null
    const stdio = out === null ? "inherit" : ["ignore", out, out]
    const child = spawn(command, commandArgs, {
      stdio,
      env: { ...process.env, ...extraEnv },
    })
    child.on("exit", (code, signal) => {
      if (out !== null) {
        closeSync(out)
      }
      resolve(signal ? 1 : (code ?? 1))
    })
  })
}

// Every jest run writes its counts here, for one closing line over all stages.
const resultsDir = mkdtempSync(path.join(os.tmpdir(), "xcover-test-results-"))
const totals = { passed: 0, failed: 0 }

async function jest(project, extraEnv = {}, extra = []) {
  const outputFile = path.join(resultsDir, `${project}.json`)
  const status = await run(
    process.execPath,
    [
      "node_modules/jest/bin/jest.js",
      "--selectProjects",
      project,
      "--json",
      `--outputFile=${outputFile}`,
      ...extra,
      ...jestArgs,
    ],
    extraEnv
  )
  let results
  try {
    results = JSON.parse(readFileSync(outputFile, "utf8"))
  } catch {
    // jest writes no results when it finds no test file, or when it crashed.
    console.error(
      `[test] stage ${project}: jest reported nothing (no test found, or it crashed: see above)`
    )
    totals.failed += 1
    return status || 1
  }
  totals.passed += results.numPassedTests
  totals.failed += results.numFailedTests + results.numRuntimeErrorTestSuites
  // A stage passes only by running tests (say, a path filter meant for another stage finds none).
  if (results.numPassedTests + results.numFailedTests === 0) {
    console.error(`[test] stage ${project} ran no tests`)
    return status || 1
  }
  console.log(
    `[test] stage ${project}: ${results.numPassedTests} passed, ${results.numFailedTests} failed in ${results.numTotalTestSuites} files`
  )
  return status
}

/**
 * `medusa build --admin-only`: the dashboard with this plugin's extensions, into .medusa/admin.
 * Started once, as early as a run that has the browser stage allows (it overlaps the integration
 * stage, which never reads .medusa/admin); its output is shown only if it fails.
 */
let adminBuild = null
function buildAdmin() {
  if (!adminBuild) {
    const medusaCli = createRequire(import.meta.url).resolve(
      "@medusajs/cli/cli.js"
    )
    const logFile = path.join(resultsDir, "admin-build.log")
    console.log(
      "[test] building the admin dashboard for the browser test (in the background)"
    )
    adminBuild = run(
      process.execPath,
      [medusaCli, "build", "--admin-only"],
      {},
      logFile
    ).then((status) => {
      if (status !== 0) {
        console.error(
          `[test] the admin build failed:\n${readFileSync(logFile, "utf8")}`
        )
      }
      return status
    })
  }
  return adminBuild
}

/**
 * The demo's shop page (scripts/demo/shop, on the storefront entry point) bundled with vite into
 * .medusa/shop, for the storefront browser test: started with the admin build, shown only if it fails.
 */
let shopBuild = null
function buildShop() {
  if (!shopBuild) {
    const vite = path.join(
      path.dirname(createRequire(import.meta.url).resolve("vite/package.json")),
      "bin",
      "vite.js"
    )
    const logFile = path.join(resultsDir, "shop-build.log")
    console.log(
      "[test] building the demo shop page for the browser test (in the background)"
    )
    shopBuild = run(
      process.execPath,
      [vite, "build", "--config", "scripts/demo/shop/vite.config.mjs"],
      {},
      logFile
    ).then((status) => {
      if (status !== 0) {
        console.error(
          `[test] the shop page build failed:\n${readFileSync(logFile, "utf8")}`
        )
      }
      return status
    })
  }
  return shopBuild
}

/** What each database stage runs, given the database env. */
const DB_STAGES = {
  integration: (db) =>
    jest(
      "integration",
      {
        ...db,
        TEST_TYPE: "integration:http",
        NODE_OPTIONS: "--experimental-vm-modules --max-old-space-size=4096",
      },
      ["--runInBand"]
    ),
  browser: async (db) => {
    const built = (await buildAdmin()) || (await buildShop())
    return (
      built ||
      jest(
        "browser",
        {
          ...db,
          NODE_OPTIONS: "--experimental-vm-modules --max-old-space-size=4096",
        },
        ["--runInBand"]
      )
    )
  },
  bench: (db) => jest("bench", db, ["--runInBand"]),
  // The installed app creates its own database on the same server and listens on this port.
  package: async (db) =>
    jest("package", { ...db, XCOVER_APP_PORT: String(await freePort()) }, [
      "--runInBand",
    ]),
}

let status = 0
if (stages.includes("unit")) {
  status = await jest("unit", { TEST_TYPE: "unit" })
}
const dbStages = stages.filter((s) => s !== "unit")
if (status === 0 && dbStages.length) {
  const db = await ensureDatabase({
    log: (m) => console.log(`[test] ${m}`),
  }).catch((err) => {
    // One line that says why and what to do (EmbeddedPostgresError), not a stack trace.
    console.error(`[test] ${err instanceof Error ? err.message : err}`)
    rmSync(resultsDir, { recursive: true, force: true })
    process.exit(1)
  })
  console.log(`[test] stages ${dbStages.join(", ")} use ${db.source}`)
  const stop = async () => {
    await db.stop()
    process.exit(1)
  }
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
  if (dbStages.includes("browser")) {
    void buildAdmin()
    void buildShop()
  }
  try {
    for (const stage of dbStages) {
      console.log(`[test] stage: ${stage}`)
      status = await DB_STAGES[stage]({
        LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
        ...db.env,
      })
      if (status !== 0) {
        console.error(`[test] stage ${stage} failed`)
        break
      }
    }
  } finally {
    await db.stop()
  }
}
rmSync(resultsDir, { recursive: true, force: true })
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed`)
process.exit(status)
