// `npm run demo`: the plugin working end to end on this machine, in one command. See README "Demo".
import { randomBytes, randomUUID } from "node:crypto"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import path from "node:path"
import { parseArgs } from "node:util"
import { eventually } from "../../integration-tests/helpers/eventually"
import { Storefront } from "../../integration-tests/helpers/storefront"
import { XcoverStandIn } from "../../integration-tests/xcover-stand-in/server"
import { httpApi } from "../../integration-tests/helpers/http-api"
import { interruptIsNormal, isStopping, onCleanup, runMain, stepper } from "../lib/lifecycle"
import { portInUse, ROOT, runMedusa, seedStoreWithMedusa, startMedusaServer } from "../lib/medusa"
import { createDatabase, databaseUrl } from "../lib/postgres"

const { values: opts } = parseArgs({
  options: {
    once: { type: "boolean", default: false },
    port: { type: "string", default: "9000" },
    // With real XCover credentials, pass offer ids that exist in your sandbox.
    taken: { type: "string" },
    declined: { type: "string" },
  },
})

const DEMO_DIR = path.join(ROOT, ".demo")
const LOG_FILE = path.join(DEMO_DIR, "medusa.log")
const ADMIN_EMAIL = "admin@xcover.demo"
const FINAL = new Set(["opted_out", "rejected", "failed"])

type OfferRow = { offer_id: string; status: string; source: string }

const step = stepper("demo")

async function main(): Promise<number> {
  const port = Number(opts.port)
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`--port must be a port number, not ${JSON.stringify(opts.port)}`)
  }
  mkdirSync(DEMO_DIR, { recursive: true })

  await step(`checking that port ${port} is free`, async () => {
    if (await portInUse(port)) {
      throw new Error(
        `port ${port} is already in use (another Medusa, or a demo still running?). ` +
          `Stop that process, or run on another port: npm run demo -- --port ${port + 1}`
      )
    }
  })

  const dbUrl = await step(
    process.env.DATABASE_URL ? "using DATABASE_URL" : "starting PostgreSQL (embedded, data in .demo/pg)",
    async () => {
      if (process.env.DATABASE_URL) {
        return { url: process.env.DATABASE_URL, source: new URL(process.env.DATABASE_URL).host }
      }
      const { ensureDatabase } = await import("../lib/database.mjs")
      const db = await ensureDatabase({ dataDir: path.join(DEMO_DIR, "pg") })
      onCleanup(() => db.stop())
      await createDatabase(db.env, "medusa_xcover_demo")
      return { url: databaseUrl(db.env, "medusa_xcover_demo"), source: db.source }
    },
    (db) => db.source
  ).then((db) => db.url)

  const medusaEnv: Record<string, string> = {
    DATABASE_URL: dbUrl,
    NODE_ENV: "development",
    ADMIN_CORS: `http://localhost:${port}`,
    AUTH_CORS: `http://localhost:${port}`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
  }
  const run = { cwd: ROOT, env: medusaEnv, logFile: LOG_FILE }

  await step("running migrations (medusa db:migrate)", () => runMedusa(["db:migrate"], run))

  const realXcover = Boolean(process.env.XCOVER_PARTNER_CODE && process.env.XCOVER_API_KEY && process.env.XCOVER_API_SECRET)
  const standIn = realXcover
    ? null
    : await step(
        "starting the XCover stand-in (checks signatures like XCover)",
        async () => {
          // Fresh credentials each run: only the stand-in and this Medusa know them.
          const credentials = { partnerCode: "DEMOPARTNER", apiKey: `demo-${randomUUID()}`, apiSecret: randomBytes(24).toString("base64") }
          const server = await new XcoverStandIn(credentials).start(0)
          onCleanup(() => server.stop())
          Object.assign(medusaEnv, {
            XCOVER_PARTNER_CODE: credentials.partnerCode,
            XCOVER_API_KEY: credentials.apiKey,
            XCOVER_API_SECRET: credentials.apiSecret,
            XCOVER_BASE_URL: server.baseUrl,
          })
          return server
        },
        (s) => s.baseUrl
      )
  if (realXcover) {
    console.log(`[demo]    using real XCover at ${process.env.XCOVER_BASE_URL || "https://api.xcover.com/x"} (credentials from XCOVER_*)`)
  }

  const login = adminLogin()
  const storeFile = path.join(DEMO_DIR, "store.json")
  // Seeding and booting the server both boot Medusa: do them side by side.
  const [seed, server] = await step(
    `seeding the store and the admin user, starting Medusa on port ${port} (log: .demo/medusa.log)`,
    () =>
      Promise.all([
        seedStoreWithMedusa({ ...run, env: { ...medusaEnv, XCOVER_SEED_ADMIN_EMAIL: ADMIN_EMAIL, XCOVER_SEED_ADMIN_PASSWORD: login.password } }, storeFile),
        startMedusaServer({ ...run, port }),
      ]),
    ([s]) => (s.seeded ? "store seeded" : "store found from an earlier run")
  )

  const shop = new Storefront(httpApi(server.url), seed.store)
  const taken = opts.taken ?? randomUUID()
  const declined = opts.declined ?? randomUUID()
  const cartId = await step(
    "placing an order over the store API: one offer taken, one declined",
    async () => {
      const cart = await shop.createCart()
      await shop.recordOffer(cart, taken)
      await shop.recordOffer(cart, declined)
      await shop.takeOffer(cart, taken)
      await shop.complete(cart)
      return cart
    },
    (cart) => `cart ${cart}`
  )

  const rows = await step("waiting for the opt-out to be settled in the ledger", async () => {
    try {
      return await eventually(
        async () => {
          const list = await ledger(shop, cartId)
          const row = list.find((r) => r.offer_id === declined)
          if (!row || !FINAL.has(row.status)) {
            throw new Error(`declined offer is ${row?.status ?? "not recorded"}`)
          }
          return list
        },
        { timeoutMs: 60_000, intervalMs: 200 }
      )
    } catch {
      return ledger(shop, cartId)
    }
  })

  const ok = printOutcome(standIn, rows, { taken, declined })
  console.log(`\nAdmin: ${server.url}/app   login: ${login.email} / ${login.password}`)
  console.log(`Store API: ${server.url}/store (publishable key ${seed.store.publishableKey})`)

  if (opts.once) {
    return ok ? 0 : 1
  }
  interruptIsNormal()
  console.log("\nServing until Ctrl-C.")
  await server.exited
  if (isStopping()) {
    return 0
  }
  console.log("[demo] Medusa exited on its own; see .demo/medusa.log")
  return 1
}

/**
 * Prints what XCover received and what the ledger says. True when the declined offer was opted
 * out, the taken one is `selected` and (with the stand-in) was never sent.
 */
function printOutcome(standIn: XcoverStandIn | null, rows: OfferRow[], { taken, declined }: { taken: string; declined: string }): boolean {
  console.log("")
  if (standIn) {
    console.log("What XCover (the stand-in) received:")
    for (const r of standIn.received) {
      const who = r.offerId === declined ? "declined offer" : r.offerId === taken ? "TAKEN offer" : "other"
      console.log(`  ${r.method} ${r.path}  ->  ${r.answer}${r.reason ? ` (${r.reason})` : " (signature ok)"}  [${who}, ${r.algorithm} over ${r.signedHeaders}]`)
    }
    if (!standIn.received.length) {
      console.log("  nothing")
    }
  }
  console.log("What the ledger (table xcover_offer) says:")
  for (const r of rows) {
    console.log(`  ${r.offer_id}  ${r.status.padEnd(9)}  ${r.offer_id === taken ? "taken" : "declined"} (${r.source})`)
  }

  const takenRow = rows.find((r) => r.offer_id === taken)
  const declinedRow = rows.find((r) => r.offer_id === declined)
  const ok =
    declinedRow?.status === "opted_out" &&
    takenRow?.status === "selected" &&
    (!standIn || (standIn.acceptedOfferIds().includes(declined) && standIn.requestsFor(taken).length === 0))
  console.log(
    ok
      ? "\nOK: the declined offer was opted out, the taken one was not."
      : "\nNOT OK: expected the declined offer opted_out and the taken one selected and never sent."
  )
  return ok
}

/** The demo admin's login: made once, kept in .demo (gitignored) so the printed one stays valid. */
function adminLogin(): { email: string; password: string } {
  const file = path.join(DEMO_DIR, "admin-login.json")
  if (existsSync(file)) {
    return JSON.parse(readFileSync(file, "utf8"))
  }
  const login = { email: ADMIN_EMAIL, password: randomBytes(9).toString("base64url") }
  writeFileSync(file, JSON.stringify(login), { mode: 0o600 })
  return login
}

async function ledger(shop: Storefront, cartId: string): Promise<OfferRow[]> {
  return (await shop.listOffers(cartId)).data.xcover_offers
}

runMain("demo", main)
