import { readdirSync } from "node:fs"
import { cp, readFile } from "node:fs/promises"
import path from "node:path"
import { pathToFileURL } from "node:url"
import { eventually } from "../helpers/eventually"
import { httpApi } from "../helpers/http-api"
import type { SeededStore } from "../helpers/seed-store"
import { Storefront } from "../helpers/storefront"
import { TEST_CREDENTIALS } from "../helpers/xcover-env"
import { XcoverStandIn } from "../xcover-stand-in/server"
import { createTestDatabase, type TestDatabase } from "./database"
import { InstalledApp, run } from "./installed-app"

jest.setTimeout(120_000)
// Pack, link, migrate, seed, build the admin, boot: one to three minutes; generous for busy CI hosts.
const SETUP_TIMEOUT_MS = 600_000

/**
 * The plugin as a store developer gets it: the packed tarball installed into a separate Medusa
 * app, set up with the Medusa CLI, booted as a real server process and used over HTTP.
 */
describe("the packed plugin installed into a Medusa app", () => {
  const standIn = new XcoverStandIn(TEST_CREDENTIALS)
  let db: TestDatabase | undefined
  let app: InstalledApp | undefined
  let baseUrl: string
  let store: SeededStore
  const xcoverTable = async () =>
    (
      await db!.query<{ table: string | null }>(
        "select to_regclass('public.xcover_offer')::text as table"
      )
    )[0].table

  beforeAll(async () => {
    const port = Number(process.env.XCOVER_APP_PORT)
    if (!port) {
      throw new Error(
        "XCOVER_APP_PORT is not set: run this suite through `npm test`"
      )
    }
    await standIn.start(0)
    db = await createTestDatabase()
    app = await InstalledApp.create()
    const env = {
      DATABASE_URL: db.url,
      XCOVER_PARTNER_CODE: TEST_CREDENTIALS.partnerCode,
      XCOVER_API_KEY: TEST_CREDENTIALS.apiKey,
      XCOVER_API_SECRET: TEST_CREDENTIALS.apiSecret,
      XCOVER_BASE_URL: standIn.baseUrl,
    }
    await app.medusa(["db:migrate"], env)
    const seedOutput = path.join(app.dir, "seeded.json")
    // The demo's seed script, which reuses the integration tests' seeding.
    await app.medusa(
      ["exec", path.resolve(__dirname, "../../scripts/lib/seed-exec.ts")],
      { ...env, XCOVER_SEED_FILE: seedOutput }
    )
    store = JSON.parse(await readFile(seedOutput, "utf8")).store
    // `medusa build` compiles the app and bundles the admin with every plugin's `./admin` export.
    await app.medusa(["build"], env)
    baseUrl = await app.start(port, env)
  }, SETUP_TIMEOUT_MS)

  afterAll(async () => {
    // Each step runs even if an earlier one failed, so nothing is left behind.
    await app?.destroy().catch((e) => console.error("app cleanup failed", e))
    await db
      ?.drop()
      .catch((e) => console.error(`dropping ${db?.name} failed`, e))
    await standIn.stop()
  })

  it("applies the plugin's migrations with `medusa db:migrate`", async () => {
    expect(await xcoverTable()).toBe("xcover_offer")
  })

  it("opts out the declined offer at XCover, and not the taken one", async () => {
    const shop = new Storefront(httpApi(baseUrl), store)
    const cartId = await shop.createCart()
    expect((await shop.recordOffer(cartId, "pkg-taken")).status).toBe(201)
    expect((await shop.recordOffer(cartId, "pkg-declined")).status).toBe(201)
    await shop.takeOffer(cartId, "pkg-taken")
    await shop.complete(cartId)

    await eventually(
      () => expect(standIn.acceptedOfferIds()).toEqual(["pkg-declined"]),
      { timeoutMs: 30_000 }
    )
    expect(standIn.requestsFor("pkg-taken")).toEqual([])
    // The ledger is written just after XCover answers.
    await eventually(async () => {
      const { data } = await shop.listOffers(cartId)
      const statuses = Object.fromEntries(
        data.xcover_offers.map((o: { offer_id: string; status: string }) => [
          o.offer_id,
          o.status,
        ])
      )
      expect(statuses).toEqual({
        "pkg-taken": "selected",
        "pkg-declined": "opted_out",
      })
    })
  })

  it("quotes through the store API with the store's own setOfferRequest hook, and takes the selected quote", async () => {
    const shop = new Storefront(httpApi(baseUrl), store)
    const cartId = await shop.createCart()
    const line = (await shop.cart(cartId)).items.find(
      (i: { variant_id: string | null }) => i.variant_id
    )
    const quoted = await shop.quote(cartId, line.id)
    expect(quoted.status).toBe(200)
    const offer = quoted.data.xcover_offer
    expect(offer).toMatchObject({
      line_item_id: line.id,
      quotes: expect.arrayContaining([
        expect.objectContaining({ price: expect.any(Object) }),
      ]),
    })

    // The app's src/workflows/hooks/xcover-offer-request.ts added these to the plugin's default request.
    const asked = standIn.received.filter((r) => r.route === "create_offer")
    expect(asked).toHaveLength(1)
    expect(asked[0].body).toMatchObject({
      customer: { currency: "EUR", country: "DE" },
      context: {
        event_type: "PRODUCT",
        store_reference: `${cartId}/${line.id}`,
        product: { quantity: 1 },
      },
    })

    const [quote] = offer.quotes
    expect(
      (await shop.select(cartId, offer.offer_id, { quote_id: quote.id })).status
    ).toBe(200)
    await shop.complete(cartId)
    await eventually(async () => {
      const { data } = await shop.listOffers(cartId)
      expect(data.xcover_offers).toEqual([
        expect.objectContaining({
          offer_id: offer.offer_id,
          source: "plugin_quote",
          status: "selected",
        }),
      ])
    })
    // Taken: booked once with the selected quote, never opted out.
    await eventually(
      () =>
        expect(
          standIn
            .requestsFor(offer.offer_id)
            .map((r) => `${r.route} ${r.answer}`)
        ).toEqual(["confirm 200"]),
      { timeoutMs: 30_000 }
    )
    expect(standIn.requestsFor(offer.offer_id)[0].body).toMatchObject({
      quotes: [{ id: quote.id }],
    })
  })

  it("resolves the `./admin` export from the app, for require and for import", async () => {
    // Only resolved here: admin extensions import @medusajs/ui and friends, which only the admin
    // bundler can load (the next test proves it bundles them).
    const probe = `
      import { createRequire } from "node:module"
      const require = createRequire(process.cwd() + "/")
      console.log(JSON.stringify({
        cjs: require.resolve("medusa-plugin-xcover/admin"),
        esm: import.meta.resolve("medusa-plugin-xcover/admin"),
      }))`
    const out = JSON.parse(
      await run(process.execPath, ["--input-type=module", "-e", probe], {
        cwd: app!.dir,
      })
    )
    const adminDir = path.join(
      app!.dir,
      "node_modules/medusa-plugin-xcover/.medusa/server/src/admin"
    )
    expect(out.cjs).toBe(path.join(adminDir, "index.js"))
    expect(out.esm).toBe(pathToFileURL(path.join(adminDir, "index.mjs")).href)
    for (const file of ["index.js", "index.mjs"]) {
      // The plugin's admin pages are in the shipped bundle.
      expect(await readFile(path.join(adminDir, file), "utf8")).toContain(
        "XCover opt-outs"
      )
    }
  })

  it("bundles the plugin's admin extension into the store's admin, which the server serves at /app", async () => {
    // The admin bundler writes one import per plugin `./admin` export into this entry; the
    // build above would have failed had the import not resolved.
    const entry = await readFile(
      path.join(app!.dir, ".medusa/client/entry.jsx"),
      "utf8"
    )
    expect(entry).toMatch(
      /^import plugin\d+ from "medusa-plugin-xcover\/admin"$/m
    )

    const page = await fetch(`${baseUrl}/app`)
    expect(page.status).toBe(200)
    const html = await page.text()
    const script = /<script type="module" crossorigin src="([^"]+)"/.exec(
      html
    )?.[1]
    expect(script).toMatch(/^\/app\/assets\/.+\.js$/)
    expect((await fetch(`${baseUrl}${script}`)).status).toBe(200)
    expect(app!.logTail(1_000_000)).not.toMatch(
      /medusa-plugin-xcover[^\n]*(error|failed)/i
    )
  })

  it("ships the sales chart importing recharts by name, which the store's admin build resolves and bundles", async () => {
    // `medusa plugin:build` keeps the plugin's package.json dependencies out of its admin bundle...
    const shipped = path.join(
      app!.dir,
      "node_modules/medusa-plugin-xcover/.medusa/server/src/admin"
    )
    expect(await readFile(path.join(shipped, "index.mjs"), "utf8")).toMatch(
      /^import \{[^}]*\bComposedChart\b[^}]*\} from "recharts";$/m
    )
    expect(await readFile(path.join(shipped, "index.js"), "utf8")).toContain(
      'require("recharts")'
    )
    // ...so the store's own build (vite) found recharts in the store's node_modules, installed as
    // the plugin's dependency, and bundled it with the page that uses it.
    const assets = path.join(app!.dir, ".medusa/server/public/admin/assets")
    const bundled = await Promise.all(
      readdirSync(assets)
        .filter((f) => f.endsWith(".js"))
        .map((f) => readFile(path.join(assets, f), "utf8"))
    )
    expect(
      bundled.filter((js) => js.includes("xcover-sales-chart"))
    ).toHaveLength(1)
    expect(
      bundled.some((js) => js.includes("recharts-responsive-container"))
    ).toBe(true)
    // No bare import left for the browser, which could not resolve it.
    expect(bundled.filter((js) => /from\s*["']recharts["']/.test(js))).toEqual(
      []
    )
  })

  it("gives a storefront medusa-plugin-xcover/storefront: typed as Medusa's Next.js starter compiles, bundled without server code", async () => {
    const dir = path.join(app!.dir, "storefront-check")
    await cp(path.join(__dirname, "storefront-check"), dir, { recursive: true })
    // The starter's "node" resolution (package.json typesVersions) and "bundler" resolution (exports).
    const tsc = path.join(app!.dir, "node_modules/typescript/bin/tsc")
    for (const config of ["tsconfig.json", "tsconfig.bundler.json"]) {
      await run(process.execPath, [tsc, "-p", path.join(dir, config)], {
        cwd: app!.dir,
      })
    }
    // As a bundler sees it: the entry resolves through the tarball's exports to ES modules.
    const bundle = `
      require("esbuild")
        .build({ entryPoints: ["storefront-check/check.tsx"], bundle: true, write: false, format: "esm", platform: "browser", jsx: "automatic", metafile: true, logLevel: "error" })
        .then((r) => console.log(JSON.stringify(Object.keys(r.metafile.inputs))), (e) => { console.error(e); process.exit(1) })`
    const inputs: string[] = JSON.parse(
      await run(process.execPath, ["-e", bundle], { cwd: app!.dir })
    )
    expect(inputs).toEqual(
      expect.arrayContaining([
        "node_modules/medusa-plugin-xcover/.medusa/storefront/index.js",
        "node_modules/medusa-plugin-xcover/.medusa/storefront/xcover-offer.js",
      ])
    )
    expect(
      inputs.filter((i) =>
        /medusa-plugin-xcover\/\.medusa\/server\/|@medusajs\/(framework|medusa|core-flows)\//.test(
          i
        )
      )
    ).toEqual([])
  })

  // Last: it removes what the tests above use. The uninstall steps (docs/operations.md) rely on it.
  it("drops the plugin's tables with one `medusa db:rollback xcover` per migration, as the uninstall steps in docs/operations.md say", async () => {
    // Each call reverts the latest migration, newest first.
    const migrations = readdirSync(
      path.join(__dirname, "../../src/modules/xcover/migrations")
    ).filter((f) => /^Migration\d+\.ts$/.test(f))
    expect(migrations.length).toBeGreaterThan(1)
    for (let i = 0; i < migrations.length; i++) {
      await app!.medusa(["db:rollback", "xcover"], { DATABASE_URL: db!.url })
    }
    expect(await xcoverTable()).toBeNull()
    for (const table of [
      "xcover_settings",
      "xcover_recovery_cursor",
      "xcover_dispatch_state",
    ]) {
      const [row] = await db!.query<{ table: string | null }>(
        `select to_regclass('public.${table}')::text as table`
      )
      expect(row.table).toBeNull()
    }
  })
})
