// `npm run bench`: the eight benchmarks of bench/README.md, side by side in
// one run (`--only reconcile`: benchmark 8 alone; `--only quotes`: benchmark 6 alone). Prints a
// table and writes bench/results.json (or --out).
import { randomBytes, randomUUID } from "node:crypto"
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { parseArgs } from "node:util"
import { Storefront } from "../integration-tests/helpers/storefront"
import { httpApi } from "../integration-tests/helpers/http-api"
import { onCleanup, runMain, stepper } from "../scripts/lib/lifecycle"
import {
  ROOT,
  runMedusa,
  seedStoreWithMedusa,
  startMedusaServer,
} from "../scripts/lib/medusa"
import {
  adminQuery,
  createDatabase,
  databaseUrl,
} from "../scripts/lib/postgres"
import { benchCheckout, checkoutShop, PluginLedger } from "./checkout"
import { benchClient } from "./client"
import { benchQuotes, type SqlProbe } from "./quotes"
import { benchReconcile } from "./reconcile"
import { formatTable, type BenchResults } from "./report"
import { StandInProcess } from "./stand-in-process"

const { values } = parseArgs({
  options: {
    checkouts: { type: "string", default: "30" },
    orders: { type: "string", default: "1000" },
    "shared-orders": { type: "string", default: "1000" },
    "mixed-orders": { type: "string", default: "1000" },
    calls: { type: "string", default: "2000" },
    optouts: { type: "string", default: "10000" },
    quotes: { type: "string", default: "200" },
    "reconcile-orders": { type: "string", default: "10000" },
    only: { type: "string", default: "all" },
    out: { type: "string", default: path.join(ROOT, "bench", "results.json") },
  },
})
const sizes = {
  checkouts: positive("checkouts"),
  orders: positive("orders"),
  shared_orders: positive("shared-orders"),
  mixed_orders: positive("mixed-orders"),
  calls: positive("calls"),
  optouts: positive("optouts"),
  quotes: positive("quotes"),
  reconcile_orders: positive("reconcile-orders"),
}
if (
  values.only !== "all" &&
  values.only !== "reconcile" &&
  values.only !== "quotes"
) {
  throw new Error("--only takes reconcile or quotes (or all, the default)")
}
const onlyReconcile = values.only === "reconcile"
const onlyQuotes = values.only === "quotes"

// Medusa's logger reads LOG_LEVEL when first loaded (by ./dispatch, imported late below): keep
// this process quiet. The servers log at info level to their log files, as a store would.
const serverLogLevel = process.env.LOG_LEVEL || "info"
process.env.LOG_LEVEL = "error"

const step = stepper("bench")
const WORK_DIR = path.join(ROOT, ".bench")

const loadAverage = () => os.loadavg().map((n) => Number(n.toFixed(2)))

async function main(): Promise<number> {
  const loadAtStart = loadAverage()
  mkdirSync(WORK_DIR, { recursive: true })
  const { ensureDatabase, freePort } =
    await import("../scripts/lib/database.mjs")
  const db = await step(
    "PostgreSQL",
    async () => {
      const found = await ensureDatabase()
      onCleanup(() => found.stop())
      return found
    },
    (d) => d.source
  )

  // Unique names: a shared server may hold other runs' databases.
  const base = `xcover_bench_${process.pid}_${randomBytes(3).toString("hex")}`
  const names = {
    template: `${base}_tmpl`,
    withPlugin: `${base}_with`,
    withoutPlugin: `${base}_without`,
    dispatch: `${base}_dispatch`,
    reconcile: `${base}_reconcile`,
  }
  onCleanup(() =>
    adminQuery(
      db.env,
      ...Object.values(names).map(
        (n) => `DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`
      )
    )
  )
  const logFile = path.join(WORK_DIR, `medusa-${process.pid}.log`)
  const withoutLogFile = path.join(
    WORK_DIR,
    `medusa-without-${process.pid}.log`
  )
  const storeFile = path.join(WORK_DIR, `store-${process.pid}.json`)
  const templateRun = {
    cwd: ROOT,
    env: {
      DATABASE_URL: databaseUrl(db.env, names.template),
      LOG_LEVEL: serverLogLevel,
    },
    logFile,
  }

  await step("migrating a template database (medusa db:migrate)", async () => {
    await createDatabase(db.env, names.template)
    await runMedusa(["db:migrate"], templateRun)
  })
  // Benchmark 8 writes its own orders: it needs the schema, not the seeded store.
  await step("cloning it for the reconciliation", () =>
    adminQuery(
      db.env,
      `CREATE DATABASE "${names.reconcile}" TEMPLATE "${names.template}"`
    )
  )

  const credentials = {
    partnerCode: "BENCHPARTNER",
    apiKey: `bench-${randomUUID()}`,
    apiSecret: randomBytes(24).toString("base64"),
  }
  const standIn = await step(
    "starting the XCover stand-in (own process)",
    async () => {
      const s = await StandInProcess.start(credentials)
      onCleanup(() => s.stop())
      return s
    },
    (s) => s.baseUrl
  )
  const settings = {
    ...credentials,
    baseUrl: standIn.baseUrl,
    signatureAlgorithm: "hmac-sha512" as const,
    signedHeaders: "date" as const,
  }
  const xcoverEnv = {
    XCOVER_PARTNER_CODE: credentials.partnerCode,
    XCOVER_API_KEY: credentials.apiKey,
    XCOVER_API_SECRET: credentials.apiSecret,
    XCOVER_BASE_URL: standIn.baseUrl,
  }

  // First, on an idle machine: the other benchmarks' servers and bursts are not running yet.
  const reconcile = onlyQuotes
    ? undefined
    : await step(
        `8. reconciliation full pass over ${sizes.reconcile_orders} orders, 1 % drifted`,
        () =>
          benchReconcile(
            {
              cwd: ROOT,
              logFile,
              // Unlimited: the sends after the pass are not what is measured (benchmark 3 is).
              env: {
                DATABASE_URL: databaseUrl(db.env, names.reconcile),
                LOG_LEVEL: serverLogLevel,
                XCOVER_MAX_REQUESTS_PER_SECOND: "0",
                ...xcoverEnv,
              },
            },
            standIn,
            sizes.reconcile_orders,
            WORK_DIR
          )
      )
  if (onlyReconcile) {
    return finish(
      {
        date: new Date().toISOString(),
        machine: machine(loadAtStart),
        sizes,
        reconcile,
      },
      [logFile]
    )
  }

  const { store } = await step("seeding the store", () =>
    seedStoreWithMedusa(templateRun, storeFile)
  )
  await step("cloning it for each app", () =>
    adminQuery(
      db.env,
      ...[names.withPlugin, names.withoutPlugin, names.dispatch].map(
        (n) => `CREATE DATABASE "${n}" TEMPLATE "${names.template}"`
      )
    )
  )

  const serverEnv = {
    NODE_ENV: "production",
    MEDUSA_DISABLE_ADMIN: "true",
    LOG_LEVEL: serverLogLevel,
  }
  // Both servers count their SQL statements (the same wrapper on both); benchmark 6 reads the plugin's.
  const counted = async () => {
    const port = await freePort()
    const agent = `--require "${path.join(ROOT, "bench", "sql-count-agent.js")}"`
    return {
      port,
      env: {
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} ${agent}`.trim(),
        XCOVER_BENCH_SQL_PORT: String(port),
      },
    }
  }
  const pluginSql = await counted()
  const startWithPlugin = async () =>
    startMedusaServer({
      cwd: ROOT,
      logFile,
      port: await freePort(),
      env: {
        ...serverEnv,
        ...pluginSql.env,
        DATABASE_URL: databaseUrl(db.env, names.withPlugin),
        ...xcoverEnv,
      },
    })
  const startWithoutPlugin = async () =>
    startMedusaServer({
      cwd: path.join(ROOT, "bench", "app-without-plugin"),
      logFile: withoutLogFile,
      port: await freePort(),
      env: {
        ...serverEnv,
        ...(await counted()).env,
        DATABASE_URL: databaseUrl(db.env, names.withoutPlugin),
      },
    })
  const sqlProbe: SqlProbe = {
    read: async (mark) => {
      const res = await fetch(`http://127.0.0.1:${pluginSql.port}/`, {
        method: mark ? "POST" : "GET",
      })
      return (await res.json()) as Awaited<ReturnType<SqlProbe["read"]>>
    },
  }

  if (onlyQuotes) {
    const server = await step(
      "starting Medusa with the plugin",
      startWithPlugin
    )
    const quotes = await step(
      `6. ${sizes.quotes} quotes of a new line, each quoted again`,
      () =>
        benchQuotes(
          new Storefront(httpApi(server.url), store),
          standIn,
          sizes.quotes,
          sqlProbe
        )
    ).finally(() => server.stop())
    return finish(
      {
        date: new Date().toISOString(),
        machine: machine(loadAtStart),
        sizes,
        quotes,
      },
      [logFile, storeFile]
    )
  }

  const [withPlugin, withoutPlugin] = await step(
    "starting Medusa with and without the plugin",
    () => Promise.all([startWithPlugin(), startWithoutPlugin()])
  )

  const pluginApi = httpApi(withPlugin.url)
  const withoutApi = httpApi(withoutPlugin.url)
  const pluginShop = new Storefront(pluginApi, store)
  const ledger = await PluginLedger.open(databaseUrl(db.env, names.withPlugin))
  const checkout = await step(
    `1+2. ${sizes.checkouts} checkouts on each app (and as many with a cover line on the plugin's)`,
    () =>
      benchCheckout(
        {
          withPlugin: checkoutShop(pluginShop, pluginApi, store),
          withoutPlugin: checkoutShop(
            new Storefront(withoutApi, store),
            withoutApi,
            store
          ),
        },
        standIn,
        ledger,
        sizes.checkouts
      )
  ).finally(() => ledger.close())
  const quotes = await step(
    `6. ${sizes.quotes} quotes of a new line, each quoted again`,
    () => benchQuotes(pluginShop, standIn, sizes.quotes, sqlProbe)
  )
  // The servers are done: free their CPU for the rest.
  await Promise.all([withPlugin.stop(), withoutPlugin.stop()])

  const client = await step(
    `4. client vs bare undici, 9 x ${sizes.calls} calls each`,
    () => benchClient(standIn, settings, sizes.calls)
  )

  // Loaded only now, after LOG_LEVEL is set (see above).

  const {
    loadXcoverModule,
    benchBurst,
    benchSharedBurst,
    benchMixedBurst,
    benchMemory,
  }: typeof import("./dispatch") = require("./dispatch")
  const dispatchUrl = databaseUrl(db.env, names.dispatch)
  const moduleOptions = { ...settings, timeoutMs: 10_000 }
  const unlimited = await loadXcoverModule(dispatchUrl, {
    ...moduleOptions,
    maxRequestsPerSecond: 0,
  })
  const burstOff = await step(
    `3. burst of ${sizes.orders} orders x 2 declined offers, rate limit off`,
    () => benchBurst(unlimited, standIn, sizes.orders, "off", 0)
  )
  const memory = await step(`5. memory over ${sizes.optouts} opt-outs`, () =>
    benchMemory(unlimited, dispatchUrl, sizes.optouts)
  )
  await unlimited.shutdown()
  const limited = await loadXcoverModule(dispatchUrl, {
    ...moduleOptions,
    maxRequestsPerSecond: 20,
  })
  const burst20 = await step(
    `3. burst of ${sizes.orders} orders x 2 declined offers, 20/s`,
    () => benchBurst(limited, standIn, sizes.orders, "limited", 20)
  )
  const burstShared = await step(
    `3. burst of ${sizes.shared_orders} orders x 2 declined offers, 2 processes sharing 20/s`,
    () =>
      benchSharedBurst(
        limited,
        standIn,
        dispatchUrl,
        { ...moduleOptions, maxRequestsPerSecond: 20 },
        sizes.shared_orders,
        2
      )
  )
  const mixedBurst = await step(
    `7. burst of ${sizes.mixed_orders} orders x (1 taken + 1 declined), 2 processes sharing 20/s`,
    () =>
      benchMixedBurst(
        limited,
        standIn,
        dispatchUrl,
        { ...moduleOptions, maxRequestsPerSecond: 20 },
        sizes.mixed_orders,
        2
      )
  )
  await limited.shutdown()

  return finish(
    {
      date: new Date().toISOString(),
      machine: machine(loadAtStart),
      sizes,
      checkout,
      burst: [burstOff, burst20, burstShared],
      mixed_burst: mixedBurst,
      client,
      memory,
      quotes,
      reconcile,
    },
    [logFile, withoutLogFile, storeFile]
  )
}

function machine(loadAtStart: number[]): BenchResults["machine"] {
  return {
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? "unknown",
    memory_gib: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    load_average: { start: loadAtStart, end: loadAverage() },
  }
}

/** Writes and prints the results; the logs are removed (they only matter when something failed). */
function finish(results: BenchResults, logs: string[]): number {
  mkdirSync(path.dirname(values.out as string), { recursive: true })
  writeFileSync(values.out as string, JSON.stringify(results, null, 2) + "\n")
  console.log("\n" + formatTable(results))
  console.log(
    `\nwritten to ${path.relative(process.cwd(), values.out as string)}`
  )
  for (const file of logs) {
    rmSync(file, { force: true })
  }
  return 0
}

function positive(name: Exclude<keyof typeof values, "out" | "only">): number {
  const n = Number(values[name])
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`--${name} must be a positive whole number`)
  }
  return n
}

runMain("bench", main)
