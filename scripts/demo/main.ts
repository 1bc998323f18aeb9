// `npm run demo`: the plugin working end to end on this machine, in one command. See CONTRIBUTING.md, "Demo".
import { execFile } from "node:child_process"
import { randomBytes, randomUUID } from "node:crypto"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import path from "node:path"
import { parseArgs, promisify } from "node:util"
import { Client } from "pg"
import { AdminUiServer } from "../../integration-tests/helpers/admin-ui-server"
import { eventually } from "../../integration-tests/helpers/eventually"
import type { SeededStore } from "../../integration-tests/helpers/seed-store"
import {
  Storefront,
  type Api,
} from "../../integration-tests/helpers/storefront"
import { XcoverStandIn } from "../../integration-tests/xcover-stand-in/server"
import { httpApi } from "../../integration-tests/helpers/http-api"
import {
  interruptIsNormal,
  isStopping,
  onCleanup,
  runMain,
  stepper,
} from "../lib/lifecycle"
import {
  portInUse,
  ROOT,
  runMedusa,
  seedStoreWithMedusa,
  startMedusaServer,
} from "../lib/medusa"
import { createDatabase, databaseUrl } from "../lib/postgres"

const { values: opts } = parseArgs({
  options: {
    once: { type: "boolean", default: false },
    port: { type: "string", default: "9000" },
    // Storefront-created offers besides the plugin's quotes: with real XCover credentials, pass
    // offer ids that exist in your sandbox (the stand-in accepts any id).
    taken: { type: "string" },
    declined: { type: "string" },
    // The quote id(s) of the --taken offer, comma-separated: what its booking confirms (its line's
    // metadata.xcover_quote_ids). Without it the stand-in is told of one quote; real XCover needs it.
    "taken-quote": { type: "string" },
    // After the booking, cancel the order through the admin API and print XCover's refund.
    cancel: { type: "boolean", default: false },
  },
})

const DEMO_DIR = path.join(ROOT, ".demo")
const LOG_FILE = path.join(DEMO_DIR, "medusa.log")
const ADMIN_EMAIL = "admin@xcover.demo"
const FINAL = new Set(["opted_out", "rejected", "failed"])
/** The price of the seeded insurance variant, which a storefront-created offer's line charges. */
const INSURANCE_PRICE = 5
/** As the dev app's medusa-config.ts reads it: booking is on unless XCOVER_BOOKING is "false". */
const BOOKING_ON = process.env.XCOVER_BOOKING !== "false"

type OfferRow = {
  offer_id: string
  status: string
  source: string
  taken_quote_id?: string | null
}

/** What the store API answers for a quoted offer (the fields the demo prints). */
type QuotedOffer = {
  offer_id: string
  line_item_id: string
  currency: string
  quotes: {
    id: string
    title: string | null
    price: { amount: number; formatted: string | null; currency: string }
  }[]
  content: {
    heading: string | null
    positive_cta: string | null
    negative_cta: string | null
    disclaimer: string | null
  } | null
}

/** A policy as `GET /store/orders/:id/xcover-policies` answers it. */
type StorePolicy = {
  offer_id: string
  status: "confirmed" | "processing"
  policy_number: string | null
  policy_status: string | null
  plan: string | null
  price: { amount: number; currency: string | null } | null
  coi_url: string | null
  coi_pdf: string | null
  pds_url: string | null
  claim_url: string | null
}

/** A booking as `GET /admin/xcover/bookings` lists it (the fields the demo reads). */
type AdminBooking = {
  id: string
  offer_id: string
  status: "pending" | "sending" | "retrying" | "booked" | "failed"
  last_error: string | null
  booking_id: string | null
  booking_status: string | null
  currency: string | null
  total_refund: number | null
  refund:
    | {
        id: string
        refund_value: number | null
        adjustment_fee: number | null
      }[]
    | null
  cancellation: {
    status: string
    reason: string
    last_error: string | null
  } | null
}

/** What the optional cancellation did: the bookings afterwards and the order as Medusa has it. */
type Cancelled = {
  bookings: AdminBooking[]
  order: { status?: string; payment_status?: string }
}

/** What the order step did: the two quoted offers (when XCover quoted), the quote taken, the cover line. */
type Placed = {
  cartId: string
  orderId: string
  /** The quote ids the storefront-created taken offer's line names (none: its booking fails at once). */
  storefrontQuoteIds: string[]
  taken: {
    offer: QuotedOffer
    quoteId: string
    cover: { title: string; unit_price: number; tax_total: number }
  } | null
  notTaken: QuotedOffer | null
  /** Why no quote could be had (only with real XCover and storefront offers to fall back on). */
  quoteProblem: string | null
}

const step = stepper("demo")

async function main(): Promise<number> {
  const port = Number(opts.port)
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(
      `--port must be a port number, not ${JSON.stringify(opts.port)}`
    )
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
    process.env.DATABASE_URL
      ? "using DATABASE_URL"
      : "starting PostgreSQL (embedded, data in .demo/pg)",
    async () => {
      if (process.env.DATABASE_URL) {
        return {
          url: process.env.DATABASE_URL,
          source: new URL(process.env.DATABASE_URL).host,
        }
      }
      const { ensureDatabase } = await import("../lib/database.mjs")
      const db = await ensureDatabase({ dataDir: path.join(DEMO_DIR, "pg") })
      onCleanup(() => db.stop())
      await createDatabase(db.env, "medusa_xcover_demo")
      return {
        url: databaseUrl(db.env, "medusa_xcover_demo"),
        source: db.source,
      }
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

  await step("running migrations (medusa db:migrate)", () =>
    runMedusa(["db:migrate"], run)
  )

  const realXcover = Boolean(
    process.env.XCOVER_PARTNER_CODE &&
    process.env.XCOVER_API_KEY &&
    process.env.XCOVER_API_SECRET
  )
  const standIn = realXcover
    ? null
    : await step(
        "starting the XCover stand-in (checks signatures like XCover)",
        async () => {
          // Fresh credentials each run: only the stand-in and this Medusa know them.
          const credentials = {
            partnerCode: "DEMOPARTNER",
            apiKey: `demo-${randomUUID()}`,
            apiSecret: randomBytes(24).toString("base64"),
          }
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
    console.log(
      `[demo]    using real XCover at ${process.env.XCOVER_BASE_URL || "https://api.xcover.com/x"} (credentials from XCOVER_*)`
    )
  }

  const login = adminLogin()
  const storeFile = path.join(DEMO_DIR, "store.json")
  // Seeding and booting the server both boot Medusa: do them side by side.
  const [seed, server] = await step(
    `seeding the store and the admin user, starting Medusa on port ${port} (log: .demo/medusa.log)`,
    () =>
      Promise.all([
        seedStoreWithMedusa(
          {
            ...run,
            env: {
              ...medusaEnv,
              XCOVER_SEED_ADMIN_EMAIL: ADMIN_EMAIL,
              XCOVER_SEED_ADMIN_PASSWORD: login.password,
            },
          },
          storeFile
        ),
        startMedusaServer({ ...run, port }),
      ]),
    ([s]) => (s.seeded ? "store seeded" : "store found from an earlier run")
  )

  const api = httpApi(server.url)
  const storeHeaders = {
    headers: { "x-publishable-api-key": seed.store.publishableKey },
  }
  const shop = new Storefront(api, seed.store)
  const storefrontOffers =
    opts.taken || opts.declined
      ? { taken: opts.taken ?? null, declined: opts.declined ?? null }
      : null
  const placed = await step(
    "placing an order over the store API: two lines quoted, one quote taken, then checkout",
    () =>
      placeOrder(shop, {
        api,
        storeHeaders,
        seed: seed.store,
        standIn,
        storefrontOffers,
      }),
    (p) => `order ${p.orderId}`
  )

  const expectDeclined = [
    placed.notTaken?.offer_id,
    storefrontOffers?.declined,
  ].filter((id): id is string => !!id)
  const rows = await step(
    "waiting for the opt-outs to be settled in the ledger",
    async () => {
      try {
        return await eventually(
          async () => {
            const list = await ledger(shop, placed.cartId, dbUrl)
            for (const id of expectDeclined) {
              const row = list.find((r) => r.offer_id === id)
              if (!row || !FINAL.has(row.status)) {
                throw new Error(
                  `declined offer ${id} is ${row?.status ?? "not recorded"}`
                )
              }
            }
            return list
          },
          { timeoutMs: 60_000, intervalMs: 200 }
        )
      } catch {
        return ledger(shop, placed.cartId, dbUrl)
      }
    }
  )

  const admin = {
    headers: {
      authorization: `Bearer ${(await api.post("/auth/user/emailpass", login)).data.token}`,
    },
  }
  const takenIds = [
    placed.taken?.offer.offer_id,
    storefrontOffers?.taken,
  ].filter((id): id is string => !!id)
  const bookings = await step(
    BOOKING_ON
      ? "waiting for XCover to book the taken offer (Confirm Offer)"
      : "booking is off (XCOVER_BOOKING=false): nothing to book",
    async () => {
      const list = () => adminBookings(api, admin, placed.orderId)
      if (!BOOKING_ON || !takenIds.length) {
        return list()
      }
      try {
        return await eventually(
          async () => {
            const all = await list()
            const open = takenIds.filter(
              (id) =>
                !["booked", "failed"].includes(
                  all.find((b) => b.offer_id === id)?.status ?? ""
                )
            )
            if (open.length) {
              throw new Error(`bookings of ${open.join(", ")} not settled`)
            }
            return all
          },
          { timeoutMs: 60_000, intervalMs: 200 }
        )
      } catch {
        return list()
      }
    },
    (list) =>
      list
        .map(
          (b) =>
            `${b.offer_id.slice(0, 8)}… ${b.status}${b.booking_id ? ` ${b.booking_id}` : ""}`
        )
        .join(", ") || "no booking"
  )
  const policies: StorePolicy[] = (
    await api.get(
      `/store/orders/${placed.orderId}/xcover-policies`,
      storeHeaders
    )
  ).data.xcover_policies

  let cancelled: Cancelled | null = null
  if (opts.cancel) {
    cancelled = await step(
      "cancelling the order through the admin API (POST /admin/orders/:id/cancel), waiting for XCover's cancellation",
      () => cancelOrder(api, admin, placed.orderId, bookings),
      (c) =>
        c.bookings
          .map(
            (b) =>
              `${b.booking_id ?? b.offer_id} ${b.booking_status ?? b.status}`
          )
          .join(", ") || "no booking to cancel"
    )
  }

  const ok = printOutcome(standIn, rows, placed, storefrontOffers, {
    bookings,
    policies,
    cancelled,
  })
  console.log(
    `\nAdmin: ${server.url}/app   login: ${login.email} / ${login.password}`
  )
  console.log(
    `Store API: ${server.url}/store (publishable key ${seed.store.publishableKey})`
  )

  if (opts.once) {
    return ok ? 0 : 1
  }
  const shopUrl = await step(
    "building the shop page (vite, scripts/demo/shop) and serving it with the store API",
    () => serveShop(server.url, seed.store)
  )
  console.log(
    `\nShop: ${shopUrl}\n  a product, the cart with XCover's offer, checkout (system payment provider), the order's policy`
  )
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
 * line item with its quote ids (`metadata.xcover_quote_ids`, what its booking confirms).
 */
async function placeOrder(
  shop: Storefront,
  {
    api,
    storeHeaders,
    seed,
    standIn,
    storefrontOffers,
  }: {
    api: Api
    storeHeaders: { headers: Record<string, string> }
    seed: SeededStore
    standIn: XcoverStandIn | null
    storefrontOffers: { taken: string | null; declined: string | null } | null
  }
): Promise<Placed> {
  const cart = await shop.createCart()
  // A second tent line (other metadata, so not merged into the first): quoted, not taken.
  await shop.addItem(cart, 1, { demo: "second line" })
  const lines = (
    (await shop.cart(cart)).items as { id: string; variant_id: string | null }[]
  ).filter((i) => i.variant_id)
  if (lines.length < 2) {
    throw new Error(
      `cart ${cart} has ${lines.length} product line(s), expected 2`
    )
  }
  const placed: Placed = {
    cartId: cart,
    orderId: "",
    storefrontQuoteIds: [],
    taken: null,
    notTaken: null,
    quoteProblem: null,
  }

  const quotes = []
  for (const line of lines.slice(0, 2)) {
    quotes.push(await shop.quote(cart, line.id))
  }
  const problem = quotes.find((q) => q.status !== 200 || !q.data?.xcover_offer)
  if (problem) {
    const why = `the quote answered ${problem.status} ${JSON.stringify(problem.data)}`
    // With real XCover, the account's offer schema may need another `context` (docs/store-api.md: the
    // setOfferRequest hook): the storefront offers still show the opt-outs working.
    if (standIn || !storefrontOffers) {
      throw new Error(`${why}; see .demo/medusa.log`)
    }
    placed.quoteProblem = why
  } else {
    const [first, second] = quotes.map(
      (q) => q.data.xcover_offer as QuotedOffer
    )
    const quote = first.quotes[0]
    if (!quote) {
      throw new Error(`XCover's offer ${first.offer_id} has no quotes`)
    }
    const selected = await shop.select(cart, first.offer_id, {
      quote_id: quote.id,
    })
    if (selected.status !== 200) {
      throw new Error(
        `selecting quote ${quote.id} answered ${selected.status} ${JSON.stringify(selected.data)}`
      )
    }
    const cover = (
      selected.data.cart.items as {
        variant_id: string | null
        title: string
        unit_price: number
        tax_total: number
      }[]
    ).find((i) => !i.variant_id)
    if (!cover) {
      throw new Error("the cart has no cover line after selecting a quote")
    }
    placed.taken = { offer: first, quoteId: quote.id, cover }
    placed.notTaken = second
  }

  const taken = storefrontOffers?.taken
  if (taken) {
    await shop.recordOffer(cart, taken)
    const given = (opts["taken-quote"] ?? "")
      .split(",")
      .map((q) => q.trim())
      .filter(Boolean)
    // The stand-in knows only the offers it quoted: tell it of this one (one quote at the line's price).
    const quoteIds = given.length
      ? given
      : standIn
        ? [`${taken.slice(0, 58)}-quote`]
        : []
    if (standIn) {
      standIn.knowOffer(
        taken,
        quoteIds.map((id) => ({ id, price: INSURANCE_PRICE / quoteIds.length }))
      )
    }
    placed.storefrontQuoteIds = quoteIds
    await api.post(
      `/store/carts/${cart}/line-items`,
      {
        variant_id: seed.insuranceVariantId,
        quantity: 1,
        metadata: {
          xcover_offer_id: taken,
          ...(quoteIds.length ? { xcover_quote_ids: quoteIds } : {}),
        },
      },
      storeHeaders
    )
  }
  if (storefrontOffers?.declined) {
    await shop.recordOffer(cart, storefrontOffers.declined)
  }
  placed.orderId = await shop.complete(cart)
  return placed
}

/** The order's bookings as the admin API lists them. */
async function adminBookings(
  api: Api,
  admin: { headers: Record<string, string> },
  orderId: string
): Promise<AdminBooking[]> {
  return (
    await api.get(
      `/admin/xcover/bookings?order_id=${encodeURIComponent(orderId)}`,
      admin
    )
  ).data.bookings
}

/**
 * Cancels the order as an admin does (`POST /admin/orders/:id/cancel`): the plugin's
 * `order.canceled` subscriber cancels each booked policy at XCover (a preview, then the
 * confirmation). Waits until every booked policy is cancelled (or its cancellation failed).
 */
async function cancelOrder(
  api: Api,
  admin: { headers: Record<string, string> },
  orderId: string,
  before: AdminBooking[]
): Promise<Cancelled> {
  await api.post(`/admin/orders/${orderId}/cancel`, {}, admin)
  const booked = before.filter((b) => b.status === "booked").map((b) => b.id)
  let bookings: AdminBooking[]
  try {
    bookings = await eventually(
      async () => {
        const all = await adminBookings(api, admin, orderId)
        const open = all.filter(
          (b) =>
            booked.includes(b.id) &&
            b.booking_status !== "CANCELLED" &&
            b.cancellation?.status !== "failed"
        )
        if (open.length) {
          throw new Error(
            `cancellation of ${open.map((b) => b.booking_id).join(", ")} not settled`
          )
        }
        return all
      },
      { timeoutMs: 60_000, intervalMs: 200 }
    )
  } catch {
    bookings = await adminBookings(api, admin, orderId)
  }
  const { order } = (
    await api.get(
      `/admin/orders/${orderId}?fields=id,status,payment_status`,
      admin
    )
  ).data
  return { bookings, order }
}

/** The amount and currency as XCover's numbers come (major units). */
function money(
  amount: number | null | undefined,
  currency: string | null | undefined
): string {
  return amount === null || amount === undefined
    ? "unknown"
    : `${amount.toFixed(2)} ${currency ?? ""}`.trim()
}

/**
 * Prints the offer the shopper saw, what XCover received, what the ledger says, the policy the
 * store API gives and, with --cancel, XCover's refund. True when the taken quote's offer is
 * `selected` with that quote, never opted out and booked once (its policy on the store API);
 * every offer not taken was opted out and never booked; and, with --cancel, every policy was
 * cancelled once with XCover's refund kept.
 */
function printOutcome(
  standIn: XcoverStandIn | null,
  rows: OfferRow[],
  placed: Placed,
  storefront: { taken: string | null; declined: string | null } | null,
  outcome: {
    bookings: AdminBooking[]
    policies: StorePolicy[]
    cancelled: Cancelled | null
  }
): boolean {
  const taken = placed.taken
  console.log("")
  if (taken) {
    const { offer, quoteId, cover } = taken
    console.log(
      `XCover's offer for the first tent line (offer ${offer.offer_id}), as the storefront renders it:`
    )
    console.log(`  "${offer.content?.heading ?? ""}"`)
    for (const q of offer.quotes) {
      const price = q.price.formatted ?? `${q.price.amount} ${q.price.currency}`
      console.log(
        `  ${q.id === quoteId ? "[taken]" : "       "} ${q.title ?? "(untitled)"}: ${price}  (quote ${q.id})`
      )
    }
    console.log(
      `  buttons "${offer.content?.positive_cta ?? ""}" / "${offer.content?.negative_cta ?? ""}"; ${offer.content?.disclaimer ?? ""}`
    )
    console.log(
      `Cover line the plugin put in the cart: "${cover.title}" at ${cover.unit_price} ${offer.currency}, tax ${cover.tax_total}`
    )
    console.log(
      `The second tent line's offer ${placed.notTaken?.offer_id} was shown and not taken.`
    )
  }
  if (placed.quoteProblem) {
    console.log(
      `No quote from XCover (${placed.quoteProblem}): only the storefront offers were used.`
    )
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
      const preview = (r.body as { preview?: unknown } | null)?.preview === true
      const what =
        r.route === "create_offer"
          ? `Create Offer -> offer ${r.createdOfferId ?? "none"}, ${label(r.createdOfferId)}`
          : r.route === "opt_out"
            ? `opt-out, ${label(r.offerId)}`
            : r.route === "confirm"
              ? `Confirm Offer (booking), ${label(r.offerId)}`
              : r.route === "get_booking"
                ? `Get Booking ${r.bookingId}`
                : r.route === "cancel"
                  ? `Cancel Booking ${r.bookingId}${preview ? " (preview: the refund, nothing changes)" : ""}, ${label(r.offerId)}`
                  : r.route === "confirm_cancellation"
                    ? `Confirm Cancellation of ${r.bookingId}, ${label(r.offerId)}`
                    : "not an API route"
      const path = r.path.replace(/security_token=[^&]+/g, "security_token=…")
      console.log(
        `  ${r.method} ${path}  ->  ${r.answer}${r.reason ? ` (${r.reason})` : " (signature ok)"}  [${what}; ${r.algorithm} over ${r.signedHeaders}]`
      )
    }
    if (!standIn.received.length) {
      console.log("  nothing")
    }
  }
  console.log("What the ledger (table xcover_offer) says:")
  for (const r of rows) {
    const quote = r.taken_quote_id ? `, quote ${r.taken_quote_id}` : ""
    console.log(
      `  ${r.offer_id}  ${r.status.padEnd(9)}  ${label(r.offer_id)} (${r.source}${quote})`
    )
  }

  const { bookings, policies, cancelled } = outcome
  if (BOOKING_ON) {
    console.log(
      `The order's policies, as the storefront reads them (GET /store/orders/${placed.orderId}/xcover-policies):`
    )
    for (const p of policies) {
      console.log(
        `  ${p.policy_number ?? "(no policy number yet)"}  ${p.status}${p.policy_status ? ` (XCover: ${p.policy_status})` : ""}  ${p.plan ?? ""}  ${p.price ? money(p.price.amount, p.price.currency) : ""}  [${label(p.offer_id)}]`
      )
      for (const [name, url] of [
        ["certificate    ", p.coi_url],
        ["certificate PDF", p.coi_pdf],
        ["PDS            ", p.pds_url],
        ["claim          ", p.claim_url],
      ] as const) {
        if (url) {
          console.log(`    ${name}  ${url}`)
        }
      }
    }
    if (!policies.length) {
      console.log("  none")
    }
    for (const b of bookings.filter((b) => b.status === "failed")) {
      console.log(
        `  booking of ${b.offer_id} FAILED (the admin shows it with Retry): ${b.last_error ?? "no message"}`
      )
    }
  } else {
    console.log(
      "Booking is off (XCOVER_BOOKING=false): taken offers stay selected, no policy is booked."
    )
  }
  if (cancelled) {
    console.log(
      `After cancelling the order (Medusa: order ${cancelled.order.status ?? "?"}, payment ${cancelled.order.payment_status ?? "?"}):`
    )
    if (!cancelled.bookings.some((b) => b.cancellation)) {
      console.log("  no policy to cancel")
    }
    for (const b of cancelled.bookings.filter((b) => b.cancellation)) {
      const c = b.cancellation!
      console.log(
        `  ${b.booking_id}  ${b.booking_status ?? b.status}  cancellation ${c.status} (reason ${c.reason})${c.last_error ? `: ${c.last_error}` : ""}`
      )
      console.log(`    XCover's refund: ${money(b.total_refund, b.currency)}`)
      for (const q of b.refund ?? []) {
        console.log(
          `      quote ${q.id}: refund ${money(q.refund_value, b.currency)}, adjustment fee ${money(q.adjustment_fee, b.currency)}`
        )
      }
    }
    console.log(
      "  The plugin moves no money. Here Medusa's order cancel released the order's payment itself (it refunds a captured one), cover line included: nothing more to pay back (docs/order-lifecycle.md: Paying the refund back)."
    )
  }

  const row = (id: string | null | undefined) =>
    rows.find((r) => r.offer_id === id)
  const requests = (id: string) => (standIn ? standIn.requestsFor(id) : [])
  const neverOptedOut = (id: string) =>
    requests(id).every((r) => r.route !== "opt_out")
  const neverBooked = (id: string) =>
    requests(id).every((r) => r.route !== "confirm")
  const optedOut = (id: string) =>
    row(id)?.status === "opted_out" &&
    (!standIn || standIn.acceptedOfferIds().includes(id)) &&
    neverBooked(id)
  const policyOf = (id: string) => policies.find((p) => p.offer_id === id)
  /** Booked once: a confirmed policy on the store API, the one XCover (the stand-in) holds. */
  const booked = (id: string) => {
    if (!BOOKING_ON) {
      return !policyOf(id) && neverBooked(id)
    }
    const policy = policyOf(id)
    return (
      policy?.status === "confirmed" &&
      !!policy.policy_number &&
      (!standIn ||
        (standIn.bookingFor(id)?.id === policy.policy_number &&
          new Set(standIn.confirmsFor(id).map((r) => r.idempotencyKey)).size ===
            1))
    )
  }
  const checks: boolean[] = []
  if (taken && placed.notTaken) {
    const takenRow = row(taken.offer.offer_id)
    checks.push(
      takenRow?.status === "selected" &&
        takenRow.taken_quote_id === taken.quoteId &&
        neverOptedOut(taken.offer.offer_id) &&
        booked(taken.offer.offer_id)
    )
    checks.push(optedOut(placed.notTaken.offer_id))
  } else if (!storefront) {
    checks.push(false)
  }
  if (storefront?.taken) {
    const id = storefront.taken
    const selected = row(id)?.status === "selected" && neverOptedOut(id)
    // Without quote ids there is nothing to confirm: the booking fails at once, saying so.
    const failedForNoQuote =
      BOOKING_ON &&
      !placed.storefrontQuoteIds.length &&
      bookings.some(
        (b) =>
          b.offer_id === id &&
          b.status === "failed" &&
          /xcover_quote_ids/.test(b.last_error ?? "")
      )
    checks.push(
      selected &&
        (placed.storefrontQuoteIds.length || !BOOKING_ON
          ? booked(id)
          : failedForNoQuote)
    )
  }
  if (storefront?.declined) {
    checks.push(optedOut(storefront.declined))
  }
  if (cancelled) {
    const wereBooked = bookings.filter((b) => b.status === "booked")
    checks.push(
      wereBooked.every((before) => {
        const after = cancelled.bookings.find((b) => b.id === before.id)
        return (
          after?.booking_status === "CANCELLED" &&
          after.cancellation?.status === "cancelled" &&
          after.total_refund !== null &&
          (!standIn || standIn.cancellationsFor(before.offer_id).length === 1)
        )
      })
    )
  }
  const ok = checks.length > 0 && checks.every(Boolean)
  const booking = BOOKING_ON
    ? " and booked once (its policy on the store API)"
    : ""
  const cancel =
    cancelled && bookings.some((b) => b.status === "booked")
      ? "; every policy was cancelled once, with XCover's refund kept"
      : ""
  console.log(
    ok
      ? `\nOK: every taken offer is selected (the quoted one with its quote), never opted out${booking}; every offer not taken was opted out and never booked${cancel}.`
      : `\nNOT OK: expected every taken offer selected (the quoted one with its quote), never opted out${booking}; every offer not taken opted_out and never booked${cancel}.`
  )
  return ok
}

/**
 * Bundles the shop page (built on the storefront entry point) into .medusa/shop and serves it under
 * /shop, the rest of the paths going to Medusa, so page and store API share one origin (no CORS).
 * Answers the page's address, naming the seeded store in its query.
 */
async function serveShop(
  medusaUrl: string,
  store: SeededStore
): Promise<string> {
  const vite = path.join(
    path.dirname(require.resolve("vite/package.json")),
    "bin",
    "vite.js"
  )
  const config = path.join(ROOT, "scripts/demo/shop/vite.config.mjs")
  await promisify(execFile)(
    process.execPath,
    [vite, "build", "--config", config],
    { cwd: ROOT }
  ).catch((err: { stdout?: string; stderr?: string }) => {
    throw new Error(
      `the shop page build failed:\n${err.stderr || err.stdout || err}`
    )
  })
  const shop = await new AdminUiServer(
    path.join(ROOT, ".medusa/shop"),
    medusaUrl,
    "/shop"
  ).start()
  onCleanup(() => shop.stop())
  const query = new URLSearchParams({
    pk: store.publishableKey,
    region: store.regionId,
    variant: store.variantId,
    shipping: store.shippingOptionId,
  })
  return `${shop.url}/shop/?${query}`
}

/** The demo admin's login: made once, kept in .demo (gitignored) so the printed one stays valid. */
function adminLogin(): { email: string; password: string } {
  const file = path.join(DEMO_DIR, "admin-login.json")
  if (existsSync(file)) {
    return JSON.parse(readFileSync(file, "utf8"))
  }
  const login = {
    email: ADMIN_EMAIL,
    password: randomBytes(9).toString("base64url"),
  }
  writeFileSync(file, JSON.stringify(login), { mode: 0o600 })
  return login
}

/** The cart's offers as the store API lists them, with the quote each order took (from the table itself). */
async function ledger(
  shop: Storefront,
  cartId: string,
  dbUrl: string
): Promise<OfferRow[]> {
  const rows: OfferRow[] = (await shop.listOffers(cartId)).data.xcover_offers
  const db = new Client({ connectionString: dbUrl })
  await db.connect()
  try {
    const { rows: taken } = await db.query<{
      offer_id: string
      taken_quote_id: string | null
    }>(
      "SELECT offer_id, taken_quote_id FROM xcover_offer WHERE cart_id = $1 AND deleted_at IS NULL",
      [cartId]
    )
    const quoteOf = new Map(taken.map((r) => [r.offer_id, r.taken_quote_id]))
    return rows.map((r) => ({
      ...r,
      taken_quote_id: quoteOf.get(r.offer_id) ?? null,
    }))
  } finally {
    await db.end()
  }
}

runMain("demo", main)
