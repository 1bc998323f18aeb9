// `npm run demo`: the plugin working end to end on this machine, in one command. See README "Demo".
import { randomBytes, randomUUID } from "node:crypto"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import path from "node:path"
import { parseArgs } from "node:util"
import { Client } from "pg"
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
    // Storefront-created offers besides the plugin's quotes: with real XCover credentials, pass
    // offer ids that exist in your sandbox (the stand-in accepts any id).
    taken: { type: "string" },
    declined: { type: "string" },
  },
})

const DEMO_DIR = path.join(ROOT, ".demo")
const LOG_FILE = path.join(DEMO_DIR, "medusa.log")
const ADMIN_EMAIL = "admin@xcover.demo"
const FINAL = new Set(["opted_out", "rejected", "failed"])

type OfferRow = { offer_id: string; status: string; source: string; taken_quote_id?: string | null }

/** What the store API answers for a quoted offer (the fields the demo prints). */
type QuotedOffer = {
  offer_id: string
  line_item_id: string
  currency: string
  quotes: { id: string; title: string | null; price: { amount: number; formatted: string | null; currency: string } }[]
  content: { heading: string | null; positive_cta: string | null; negative_cta: string | null; disclaimer: string | null } | null
}

/** What the order step did: the two quoted offers (when XCover quoted), the quote taken, the cover line. */
type Placed = {
  cartId: string
  taken: { offer: QuotedOffer; quoteId: string; cover: { title: string; unit_price: number; tax_total: number } } | null
  notTaken: QuotedOffer | null
  /** Why no quote could be had (only with real XCover and storefront offers to fall back on). */
  quoteProblem: string | null
}

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
  const storefrontOffers = opts.taken || opts.declined ? { taken: opts.taken ?? null, declined: opts.declined ?? null } : null
  const placed = await step(
    "placing an order over the store API: two lines quoted, one quote taken, then checkout",
    () => placeOrder(shop, { standIn, storefrontOffers }),
    (p) => `cart ${p.cartId}`
  )

  const expectDeclined = [placed.notTaken?.offer_id, storefrontOffers?.declined].filter((id): id is string => !!id)
  const rows = await step("waiting for the opt-outs to be settled in the ledger", async () => {
    try {
      return await eventually(
        async () => {
          const list = await ledger(shop, placed.cartId, dbUrl)
          for (const id of expectDeclined) {
            const row = list.find((r) => r.offer_id === id)
            if (!row || !FINAL.has(row.status)) {
              throw new Error(`declined offer ${id} is ${row?.status ?? "not recorded"}`)
            }
          }
          return list
        },
        { timeoutMs: 60_000, intervalMs: 200 }
      )
    } catch {
      return ledger(shop, placed.cartId, dbUrl)
    }
  })

  const ok = printOutcome(standIn, rows, placed, storefrontOffers)
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
 * The checkout a storefront does with the plugin's quotes: a cart with two tent lines, each quoted
 * (XCover's offer for that line), one quote of the first taken (its cover line joins the cart at
 * XCover's price), the second offer left alone, then completion. Storefront-created offers
 * (`--taken` / `--declined`) are recorded in the same cart, the taken one named by an insurance
 * line item, as before quotes existed.
 */
async function placeOrder(
  shop: Storefront,
  { standIn, storefrontOffers }: { standIn: XcoverStandIn | null; storefrontOffers: { taken: string | null; declined: string | null } | null }
): Promise<Placed> {
  const cart = await shop.createCart()
  // A second tent line (other metadata, so not merged into the first): quoted, not taken.
  await shop.addItem(cart, 1, { demo: "second line" })
  const lines = ((await shop.cart(cart)).items as { id: string; variant_id: string | null }[]).filter((i) => i.variant_id)
  if (lines.length < 2) {
    throw new Error(`cart ${cart} has ${lines.length} product line(s), expected 2`)
  }
  const placed: Placed = { cartId: cart, taken: null, notTaken: null, quoteProblem: null }

  const quotes = []
  for (const line of lines.slice(0, 2)) {
    quotes.push(await shop.quote(cart, line.id))
  }
  const problem = quotes.find((q) => q.status !== 200 || !q.data?.xcover_offer)
  if (problem) {
    const why = `the quote answered ${problem.status} ${JSON.stringify(problem.data)}`
    // With real XCover, the account's offer schema may need another `context` (README: the
    // setOfferRequest hook): the storefront offers still show the opt-outs working.
    if (standIn || !storefrontOffers) {
      throw new Error(`${why}; see .demo/medusa.log`)
    }
    placed.quoteProblem = why
  } else {
    const [first, second] = quotes.map((q) => q.data.xcover_offer as QuotedOffer)
    const quote = first.quotes[0]
    if (!quote) {
      throw new Error(`XCover's offer ${first.offer_id} has no quotes`)
    }
    const selected = await shop.select(cart, first.offer_id, { quote_id: quote.id })
    if (selected.status !== 200) {
      throw new Error(`selecting quote ${quote.id} answered ${selected.status} ${JSON.stringify(selected.data)}`)
    }
    const cover = (selected.data.cart.items as { variant_id: string | null; title: string; unit_price: number; tax_total: number }[]).find(
      (i) => !i.variant_id
    )
    if (!cover) {
      throw new Error("the cart has no cover line after selecting a quote")
    }
    placed.taken = { offer: first, quoteId: quote.id, cover }
    placed.notTaken = second
  }

  if (storefrontOffers?.taken) {
    await shop.recordOffer(cart, storefrontOffers.taken)
    await shop.takeOffer(cart, storefrontOffers.taken)
  }
  if (storefrontOffers?.declined) {
    await shop.recordOffer(cart, storefrontOffers.declined)
  }
  await shop.complete(cart)
  return placed
}

/**
 * Prints the offer the shopper saw, what XCover received and what the ledger says. True when the
 * taken quote's offer is `selected` with that quote (and, with the stand-in, was never sent), and
 * every offer not taken was opted out.
 */
function printOutcome(
  standIn: XcoverStandIn | null,
  rows: OfferRow[],
  placed: Placed,
  storefront: { taken: string | null; declined: string | null } | null
): boolean {
  const taken = placed.taken
  console.log("")
  if (taken) {
    const { offer, quoteId, cover } = taken
    console.log(`XCover's offer for the first tent line (offer ${offer.offer_id}), as the storefront renders it:`)
    console.log(`  "${offer.content?.heading ?? ""}"`)
    for (const q of offer.quotes) {
      const price = q.price.formatted ?? `${q.price.amount} ${q.price.currency}`
      console.log(`  ${q.id === quoteId ? "[taken]" : "       "} ${q.title ?? "(untitled)"}: ${price}  (quote ${q.id})`)
    }
    console.log(`  buttons "${offer.content?.positive_cta ?? ""}" / "${offer.content?.negative_cta ?? ""}"; ${offer.content?.disclaimer ?? ""}`)
    console.log(`Cover line the plugin put in the cart: "${cover.title}" at ${cover.unit_price} ${offer.currency}, tax ${cover.tax_total}`)
    console.log(`The second tent line's offer ${placed.notTaken?.offer_id} was shown and not taken.`)
  }
  if (placed.quoteProblem) {
    console.log(`No quote from XCover (${placed.quoteProblem}): only the storefront offers were used.`)
  }

  const label = (id: string | null) =>
    id === taken?.offer.offer_id
      ? "quoted, taken"
      : id === placed.notTaken?.offer_id
        ? "quoted, not taken"
        : id === storefront?.taken
          ? "storefront offer, taken"
          : id === storefront?.declined
            ? "storefront offer, declined"
            : "other"
  if (standIn) {
    console.log("What XCover (the stand-in) received:")
    for (const r of standIn.received) {
      const what = r.route === "create_offer" ? `Create Offer -> offer ${r.createdOfferId ?? "none"}, ${label(r.createdOfferId)}` : `opt-out, ${label(r.offerId)}`
      console.log(`  ${r.method} ${r.path}  ->  ${r.answer}${r.reason ? ` (${r.reason})` : " (signature ok)"}  [${what}; ${r.algorithm} over ${r.signedHeaders}]`)
    }
    if (!standIn.received.length) {
      console.log("  nothing")
    }
  }
  console.log("What the ledger (table xcover_offer) says:")
  for (const r of rows) {
    const quote = r.taken_quote_id ? `, quote ${r.taken_quote_id}` : ""
    console.log(`  ${r.offer_id}  ${r.status.padEnd(9)}  ${label(r.offer_id)} (${r.source}${quote})`)
  }

  const row = (id: string | null | undefined) => rows.find((r) => r.offer_id === id)
  const neverSent = (id: string) => !standIn || standIn.requestsFor(id).length === 0
  const optedOut = (id: string) => row(id)?.status === "opted_out" && (!standIn || standIn.acceptedOfferIds().includes(id))
  const checks: boolean[] = []
  if (taken && placed.notTaken) {
    const takenRow = row(taken.offer.offer_id)
    checks.push(takenRow?.status === "selected" && takenRow.taken_quote_id === taken.quoteId && neverSent(taken.offer.offer_id))
    checks.push(optedOut(placed.notTaken.offer_id))
  } else if (!storefront) {
    checks.push(false)
  }
  if (storefront?.taken) {
    checks.push(row(storefront.taken)?.status === "selected" && neverSent(storefront.taken))
  }
  if (storefront?.declined) {
    checks.push(optedOut(storefront.declined))
  }
  const ok = checks.length > 0 && checks.every(Boolean)
  console.log(
    ok
      ? "\nOK: every taken offer is selected (the quoted one with its quote) and was never sent; every offer not taken was opted out."
      : "\nNOT OK: expected every taken offer selected (the quoted one with its quote) and never sent, and every offer not taken opted_out."
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

/** The cart's offers as the store API lists them, with the quote each order took (from the table itself). */
async function ledger(shop: Storefront, cartId: string, dbUrl: string): Promise<OfferRow[]> {
  const rows: OfferRow[] = (await shop.listOffers(cartId)).data.xcover_offers
  const db = new Client({ connectionString: dbUrl })
  await db.connect()
  try {
    const { rows: taken } = await db.query<{ offer_id: string; taken_quote_id: string | null }>(
      "SELECT offer_id, taken_quote_id FROM xcover_offer WHERE cart_id = $1 AND deleted_at IS NULL",
      [cartId]
    )
    const quoteOf = new Map(taken.map((r) => [r.offer_id, r.taken_quote_id]))
    return rows.map((r) => ({ ...r, taken_quote_id: quoteOf.get(r.offer_id) ?? null }))
  } finally {
    await db.end()
  }
}

runMain("demo", main)
