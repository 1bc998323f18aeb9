import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createAdminUser } from "../helpers/admin-user"
import { eventually } from "../helpers/eventually"
import { seedStoreOnce } from "../helpers/seed-once"
import type { SeededStore } from "../helpers/seed-store"
import { statementsOf } from "../helpers/sql-statements"
import { Storefront } from "../helpers/storefront"
import { TEST_CREDENTIALS, useXcoverStandIn } from "../helpers/xcover-env"
import { XcoverStandIn } from "../xcover-stand-in/server"
import runXcoverOutboxJob from "../../src/jobs/xcover-outbox"
import type XcoverModuleService from "../../src/modules/xcover/service"
import {
  MAX_RANGE_DAYS,
  addDays,
} from "../../src/modules/xcover/reporting/day-range"

jest.setTimeout(120_000)

const ENCRYPTION_KEY = "test-encryption-key-0123456789abcdef"
const ADMIN_SECRET = "adm1n/s3cret+value=="
// A second key pair of the same XCover account, whose secret is the one saved in the admin.
const OTHER_KEY = "other-key-9c1d"
// Opt-outs that keep failing give up after one second, so a test can produce a `failed` offer.
const standIn = useXcoverStandIn(
  { XCOVER_ENCRYPTION_KEY: ENCRYPTION_KEY, XCOVER_RETRY_MAX_AGE_MS: "1000" },
  { extraKeys: [{ apiKey: OTHER_KEY, apiSecret: ADMIN_SECRET }] }
)

type Knex = {
  raw(
    sql: string,
    params?: unknown[]
  ): Promise<{ rows: Record<string, unknown>[] }>
}

medusaIntegrationTestRunner({
  testSuite: (suite) => {
    const { api, getContainer } = suite
    let shop: Storefront
    let seeded: SeededStore
    let admin: { headers: Record<string, string> }
    const xcover = () => getContainer().resolve<XcoverModuleService>("xcover")
    const post = (url: string, body: unknown = {}) =>
      api.post(url, body, admin).catch((e: any) => e.response)
    const get = (url: string) =>
      api.get(url, admin).catch((e: any) => e.response)
    const settingsRows = async () =>
      (
        await getContainer()
          .resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION)
          .raw("SELECT * FROM xcover_settings")
      ).rows

    /** An order with the given declined offers; resolves once none of them is waiting any more. */
    const orderDeclining = async (...offers: string[]) => {
      const cartId = await shop.createCart()
      for (const offer of offers) {
        await shop.recordOffer(cartId, offer)
      }
      const orderId = await shop.complete(cartId)
      return { cartId, orderId }
    }
    const statusOf = async (offerId: string) =>
      (await xcover().listXcoverOffers({ offer_id: offerId }))[0]?.status

    const seededStore = seedStoreOnce(suite, async (container) => {
      admin = await createAdminUser(container, api)
    })
    beforeEach(() => {
      standIn.reset()
      seeded = seededStore()
      shop = new Storefront(api, seeded)
    })

    describe("authentication", () => {
      it.each([
        ["get", "/admin/xcover/settings"],
        ["post", "/admin/xcover/settings"],
        ["post", "/admin/xcover/settings/test-connection"],
        ["get", "/admin/xcover/offers"],
        ["post", "/admin/xcover/offers/xco_123/retry"],
        ["post", "/admin/xcover/offers/retry"],
        ["get", "/admin/xcover/stats"],
        ["get", "/admin/xcover/stats/daily"],
      ])("%s %s answers 401 without an admin", async (method, url) => {
        const call = method === "get" ? api.get(url) : api.post(url, {})
        const res = await call.catch((e: any) => e.response)
        expect(res.status).toBe(401)
        const bad = await (
          method === "get"
            ? api.get(url, { headers: { authorization: "Bearer not-a-token" } })
            : api.post(
                url,
                {},
                { headers: { authorization: "Bearer not-a-token" } }
              )
        ).catch((e: any) => e.response)
        expect(bad.status).toBe(401)
      })
    })

    describe("validation", () => {
      it.each([
        [{ signature_algorithm: "hmac-md5" }, "signature_algorithm"],
        [{ environment: "staging" }, "environment"],
        [{ partner_code: "has space" }, "partner_code"],
        [{ enabled: "yes" }, "enabled"],
        [{ secret: "x" }, "secret"],
      ])("POST settings %j answers 400 naming %s", async (body, field) => {
        const res = await post("/admin/xcover/settings", body)
        expect(res.status).toBe(400)
        expect(res.data.message).toContain(field)
      })

      // Only the baseUrl plugin option may point the signed calls at another host.
      it.each([
        [{ environment: "custom" }, "environment"],
        [
          { environment: "custom", base_url: "https://elsewhere.test/x" },
          "environment",
        ],
        [{ base_url: "https://elsewhere.test/x" }, "base_url"],
        [{ environment: "sandbox", base_url: null }, "base_url"],
      ])(
        "POST settings %j answers 400 naming %s: no custom base URL from the admin",
        async (body, field) => {
          const res = await post("/admin/xcover/settings", body)
          expect(res.status).toBe(400)
          expect(res.data.message).toContain(field)
          expect(res.data.message).toContain("baseUrl plugin option")
          expect(await settingsRows()).toEqual([])
        }
      )

      it("names api_secret without echoing a mistyped value", async () => {
        const res = await post("/admin/xcover/settings", {
          api_secret: 987654321,
        })
        expect(res.status).toBe(400)
        expect(res.data.message).toContain("api_secret")
        expect(JSON.stringify(res.data)).not.toContain("987654321")
      })

      it.each([
        ["/admin/xcover/offers?limit=0", "limit"],
        ["/admin/xcover/offers?limit=abc", "limit"],
        ["/admin/xcover/offers?offset=-1", "offset"],
        ["/admin/xcover/offers?status=lost", "status"],
        ["/admin/xcover/offers?created_from=yesterday", "created_from"],
        ["/admin/xcover/stats?created_to=2026-13-45", "created_to"],
        ["/admin/xcover/stats?unknown=1", "unknown"],
        [
          "/admin/xcover/stats/daily?from=2026-02-30&to=2026-03-01",
          "from must be a calendar day written YYYY-MM-DD",
        ],
        [
          "/admin/xcover/stats/daily?from=2026-03-01&to=2026-03-01T10:00:00Z",
          "to must be a calendar day written YYYY-MM-DD",
        ],
        [
          "/admin/xcover/stats/daily?from=2026-03-02&to=2026-03-01",
          "from must not be after to",
        ],
        [
          "/admin/xcover/stats/daily?from=2025-01-01&to=2026-01-02",
          "from..to covers 367 days; at most 366 at once",
        ],
        ["/admin/xcover/stats/daily?from=2026-03-01&from=2026-03-02", "from"],
        ["/admin/xcover/stats/daily?to=2026-03-01&unknown=1", "unknown"],
      ])("GET %s answers 400 naming %s", async (url, field) => {
        const res = await get(url)
        expect(res.status).toBe(400)
        expect(res.data.message).toContain(field)
      })
    })

    describe("settings", () => {
      it("shows plugin options as the source until values are saved in the admin", async () => {
        const { data } = await get("/admin/xcover/settings")
        expect(data.settings).toMatchObject({
          partner_code: {
            value: TEST_CREDENTIALS.partnerCode,
            source: "plugin_option",
          },
          api_key: { value: TEST_CREDENTIALS.apiKey, source: "plugin_option" },
          api_secret_set: { value: true, source: "plugin_option" },
          environment: { value: "custom", source: "plugin_option" },
          base_url: { value: standIn.baseUrl, source: "plugin_option" },
          enabled: { value: true, source: "default" },
          encryption_key_set: true,
          problems: [],
        })
        expect(JSON.stringify(data)).not.toContain(TEST_CREDENTIALS.apiSecret)
      })

      it("never returns the secret and keeps it encrypted in the table", async () => {
        const saved = await post("/admin/xcover/settings", {
          api_secret: ADMIN_SECRET,
          partner_code: "ADMINPARTNER",
        })
        expect(saved.status).toBe(200)
        expect(saved.data.settings.api_secret_set).toEqual({
          value: true,
          source: "admin",
        })
        expect(saved.data.settings.partner_code).toEqual({
          value: "ADMINPARTNER",
          source: "admin",
        })
        const read = await get("/admin/xcover/settings")
        for (const body of [saved.data, read.data]) {
          const text = JSON.stringify(body)
          expect(text).not.toContain(ADMIN_SECRET)
          expect(text).not.toContain(TEST_CREDENTIALS.apiSecret)
          expect(text).not.toContain(ENCRYPTION_KEY)
          expect(text).not.toContain("api_secret_encrypted")
        }

        const [row] = await settingsRows()
        const raw = JSON.stringify(row)
        expect(raw).not.toContain(ADMIN_SECRET)
        expect(raw).not.toContain(Buffer.from(ADMIN_SECRET).toString("base64"))
        expect(row.api_secret_encrypted).toMatch(/^v1\./)
        expect(row.partner_code).toBe("ADMINPARTNER")

        // null removes the override: the plugin option applies again.
        const cleared = await post("/admin/xcover/settings", {
          api_secret: null,
          partner_code: null,
        })
        expect(cleared.data.settings.api_secret_set).toEqual({
          value: true,
          source: "plugin_option",
        })
        expect(cleared.data.settings.partner_code.source).toBe("plugin_option")
        expect((await settingsRows())[0].api_secret_encrypted).toBeNull()
      })

      it("signs the next opt-out with credentials saved in the admin, without a restart", async () => {
        // A new secret the current XCover (the stand-in) does not know: the next call is refused.
        await post("/admin/xcover/settings", { api_secret: ADMIN_SECRET })
        await orderDeclining("signed-with-admin-secret")
        await eventually(() =>
          expect(
            standIn.requestsFor("signed-with-admin-secret")[0]
          ).toMatchObject({ answer: 403, reason: "signature mismatch" })
        )
        // A refused credential is the configuration's fault, not the offer's: it waits.
        await eventually(async () =>
          expect(await statusOf("signed-with-admin-secret")).toBe("retrying")
        )

        // Another key pair of the account, whose secret is the saved one, is accepted.
        const res = await post("/admin/xcover/settings", {
          api_key: OTHER_KEY,
          signature_algorithm: "hmac-sha256",
        })
        expect(res.status).toBe(200)
        await orderDeclining("signed-with-new-key")
        await eventually(async () =>
          expect(await statusOf("signed-with-new-key")).toBe("opted_out")
        )
        expect(standIn.requestsFor("signed-with-new-key")).toEqual([
          expect.objectContaining({
            answer: 204,
            apiKey: OTHER_KEY,
            algorithm: "hmac-sha256",
          }),
        ])
        // The offer that waited through the refused credentials went out with the new ones.
        await eventually(async () =>
          expect(await statusOf("signed-with-admin-secret")).toBe("opted_out")
        )
      })

      it("chooses production or sandbox, and back to the plugin option's base URL", async () => {
        const sandbox = await post("/admin/xcover/settings", {
          environment: "sandbox",
        })
        expect(sandbox.status).toBe(200)
        expect(sandbox.data.settings).toMatchObject({
          environment: { value: "sandbox", source: "admin" },
          base_url: {
            value: "https://api.xcover-staging.com/xcover",
            source: "admin",
          },
        })
        const production = await post("/admin/xcover/settings", {
          environment: "production",
        })
        expect(production.data.settings.base_url).toEqual({
          value: "https://api.xcover.com/x",
          source: "admin",
        })
        const reset = await post("/admin/xcover/settings", {
          environment: null,
        })
        expect(reset.data.settings).toMatchObject({
          environment: { value: "custom", source: "plugin_option" },
          base_url: { value: standIn.baseUrl, source: "plugin_option" },
        })
      })

      it("ignores a custom base URL saved by 0.1.0, and drops it with the next save", async () => {
        const elsewhere = new XcoverStandIn({ ...TEST_CREDENTIALS })
        await elsewhere.start(0)
        try {
          await getContainer()
            .resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION)
            .raw(
              "INSERT INTO xcover_settings (id, scope, environment, base_url, created_at, updated_at) VALUES ('xcset_legacy', 'default', 'custom', ?, now(), now())",
              [elsewhere.baseUrl]
            )
          const { data } = await get("/admin/xcover/settings")
          expect(data.settings).toMatchObject({
            environment: { value: "custom", source: "plugin_option" },
            base_url: { value: standIn.baseUrl, source: "plugin_option" },
          })
          standIn.setDefault({ status: 404 })
          const tested = await post("/admin/xcover/settings/test-connection")
          expect(tested.data.connection).toMatchObject({
            result: "accepted",
            base_url: standIn.baseUrl,
          })
          expect(standIn.received).toHaveLength(1)
          expect(elsewhere.received).toEqual([])

          await post("/admin/xcover/settings", { enabled: true })
          expect(await settingsRows()).toEqual([
            expect.objectContaining({
              environment: null,
              base_url: null,
              enabled: true,
            }),
          ])
        } finally {
          await elsewhere.stop()
        }
      })

      it("keeps the secrets and the encryption key out of every log line", async () => {
        const logger = getContainer().resolve<
          Record<string, (...args: unknown[]) => unknown>
        >(ContainerRegistrationKeys.LOGGER)
        const spies = ["debug", "info", "warn", "error", "log", "panic"].map(
          (level) => jest.spyOn(logger, level)
        )
        try {
          await post("/admin/xcover/settings", { api_secret: ADMIN_SECRET })
          await post("/admin/xcover/settings/test-connection")
          await orderDeclining("logged-403")
          const loggedLines = () =>
            spies.flatMap((spy) =>
              spy.mock.calls.map((args) =>
                args
                  .map((a) =>
                    a instanceof Error ? a.message : JSON.stringify(a)
                  )
                  .join(" ")
              )
            )
          // The plugin did log about this call and the refused credentials: the check below looks at real lines.
          const logged = await eventually(() => {
            const lines = loggedLines()
            expect(lines.some((line) => line.includes("logged-403"))).toBe(true)
            expect(
              lines.some((line) => line.includes("refused the credentials"))
            ).toBe(true)
            return lines
          })
          for (const secret of [
            ADMIN_SECRET,
            TEST_CREDENTIALS.apiSecret,
            ENCRYPTION_KEY,
          ]) {
            expect(logged.filter((line) => line.includes(secret))).toEqual([])
          }
        } finally {
          spies.forEach((spy) => spy.mockRestore())
        }
      })

      it("holds every offer through a wrong secret saved in the admin and sends them all once it is corrected", async () => {
        const logger = getContainer().resolve<
          Record<string, (...args: unknown[]) => unknown>
        >(ContainerRegistrationKeys.LOGGER)
        const errors = jest.spyOn(logger, "error")
        try {
          await post("/admin/xcover/settings", { api_secret: ADMIN_SECRET })
          const offers = ["typo-1", "typo-2", "typo-3", "typo-4"]
          await orderDeclining(...offers.slice(0, 2))
          await eventually(async () =>
            expect(
              (await get("/admin/xcover/settings")).data.delivery.circuit.open
            ).toBe(true)
          )
          // Declined while the circuit is open: not even tried.
          await orderDeclining(...offers.slice(2))
          const health = (await get("/admin/xcover/settings")).data.delivery
          expect(health.circuit.reason).toMatch(/^403 auth_error/)
          // Decided (the order's subscriber runs after checkout answered), and held.
          await eventually(async () => {
            for (const offer of offers) {
              expect(["pending", "retrying"]).toContain(await statusOf(offer))
            }
          })
          expect(standIn.requestsFor("typo-3")).toEqual([])

          // The store owner types the right secret: the circuit is probed at once, everything goes out.
          await post("/admin/xcover/settings", {
            api_secret: TEST_CREDENTIALS.apiSecret,
          })
          await eventually(async () => {
            // What the dispatch job's next run does (its schedule is not relied on under the test runner).
            await runXcoverOutboxJob(getContainer())
            for (const offer of offers) {
              expect(await statusOf(offer)).toBe("opted_out")
            }
          })
          // The circuit's probe (a made-up offer id) went first; then each offer once.
          expect(
            standIn
              .acceptedOfferIds()
              .filter((id) => !id.startsWith("connection-test-"))
              .sort()
          ).toEqual(offers)
          expect(
            (await get("/admin/xcover/settings")).data.delivery.circuit.open
          ).toBe(false)
          const openings = errors.mock.calls.filter(([line]) =>
            String(line).includes("refused the credentials")
          )
          expect(openings).toHaveLength(1)
        } finally {
          errors.mockRestore()
        }
      })

      it("keeps offers pending while disabled and sends them once enabled again", async () => {
        const off = await post("/admin/xcover/settings", { enabled: false })
        expect(off.data.settings.enabled).toEqual({
          value: false,
          source: "admin",
        })
        await orderDeclining("while-disabled")
        // A marker through a second pass of the job would be a sleep; the ledger says it all.
        await eventually(async () =>
          expect(await statusOf("while-disabled")).toBe("pending")
        )
        expect(standIn.requestsFor("while-disabled")).toEqual([])
        await post("/admin/xcover/settings", { enabled: true })
        // The dispatch job's next run sends it (its schedule is not relied on under the test runner).
        await eventually(async () => {
          await runXcoverOutboxJob(getContainer())
          expect(await statusOf("while-disabled")).toBe("opted_out")
        })
      })
    })

    describe("test connection", () => {
      it("reports accepted credentials (XCover's 404 for the made-up offer)", async () => {
        standIn.setDefault({ status: 404 })
        const { status, data } = await post(
          "/admin/xcover/settings/test-connection"
        )
        expect(status).toBe(200)
        expect(data.connection).toMatchObject({
          result: "accepted",
          http_status: 404,
          base_url: standIn.baseUrl,
        })
        expect(standIn.received[0].offerId).toMatch(/^connection-test-/)
      })

      it("reports rejected credentials (403)", async () => {
        await post("/admin/xcover/settings", { api_secret: ADMIN_SECRET })
        const { data } = await post("/admin/xcover/settings/test-connection")
        expect(data.connection).toMatchObject({
          result: "rejected",
          http_status: 403,
        })
        expect(data.connection.message).toMatch(/rejected the credentials/)
        expect(JSON.stringify(data)).not.toContain(ADMIN_SECRET)
      })

      it("reports an unreachable XCover", async () => {
        // Nothing listens at the configured base URL while the stand-in is stopped.
        await standIn.stop()
        try {
          const { data } = await post("/admin/xcover/settings/test-connection")
          expect(data.connection).toMatchObject({
            result: "unreachable",
            http_status: null,
            base_url: standIn.baseUrl,
          })
          expect(data.connection.message).toMatch(/could not be reached/)
        } finally {
          await standIn.start()
        }
      })
    })

    describe("opt-out log, figures and retry", () => {
      it("counts what the ledger holds and filters the log", async () => {
        standIn.script("fig-rejected", { status: 404 })
        const taken = await shop.createCart()
        await shop.recordOffer(taken, "fig-taken")
        await shop.recordOffer(taken, "fig-declined")
        await shop.takeOffer(taken, "fig-taken")
        const takenOrder = await shop.complete(taken)
        await orderDeclining("fig-rejected")
        const open = await shop.createCart()
        await shop.recordOffer(open, "fig-undecided")
        await eventually(async () => {
          expect(await statusOf("fig-declined")).toBe("opted_out")
          expect(await statusOf("fig-rejected")).toBe("rejected")
        })

        const { data } = await get("/admin/xcover/stats")
        const ledger = await xcover().listXcoverOffers({})
        const count = (...s: string[]) =>
          ledger.filter((o) => s.includes(o.status)).length
        expect(data.stats).toEqual({
          shown: ledger.length,
          taken: count("selected"),
          opted_out: count("opted_out"),
          pending: count("pending", "sending", "retrying"),
          failed: count("failed"),
          rejected: count("rejected"),
          undecided: count("shown"),
          attach_rate: count("selected") / ledger.length,
        })
        expect(data.stats).toMatchObject({
          shown: 4,
          taken: 1,
          opted_out: 1,
          rejected: 1,
          undecided: 1,
          attach_rate: 0.25,
        })

        const past = await get(
          "/admin/xcover/stats?created_from=2020-01-01&created_to=2020-12-31"
        )
        expect(past.data.stats).toMatchObject({ shown: 0, attach_rate: null })

        const rejected = await get(
          "/admin/xcover/offers?status=rejected,failed"
        )
        expect(
          rejected.data.offers.map((o: { offer_id: string }) => o.offer_id)
        ).toEqual(["fig-rejected"])
        expect(rejected.data.offers[0]).toMatchObject({
          attempts: 1,
          last_status: 404,
          last_error: expect.stringContaining("404"),
        })

        const page = await get("/admin/xcover/offers?limit=3&offset=0")
        expect(page.data).toMatchObject({ count: 4, limit: 3, offset: 0 })
        expect(page.data.offers).toHaveLength(3)
        const rest = await get("/admin/xcover/offers?limit=3&offset=3")
        expect(rest.data.offers).toHaveLength(1)

        const ofOrder = await get(`/admin/xcover/offers?order_id=${takenOrder}`)
        expect(
          ofOrder.data.offers
            .map((o: { offer_id: string; status: string }) => [
              o.offer_id,
              o.status,
            ])
            .sort()
        ).toEqual([
          ["fig-declined", "opted_out"],
          ["fig-taken", "selected"],
        ])
        const future = await get(
          `/admin/xcover/offers?created_from=${new Date(Date.now() + 3600_000).toISOString()}`
        )
        expect(future.data.count).toBe(0)
      })

      it("sends a failed opt-out again on retry", async () => {
        standIn.script(
          "retry-me",
          ...Array.from({ length: 50 }, () => ({ status: 503 }))
        )
        await orderDeclining("retry-me")
        await eventually(
          async () => expect(await statusOf("retry-me")).toBe("failed"),
          { timeoutMs: 20_000 }
        )
        const [failed] = await xcover().listXcoverOffers({
          offer_id: "retry-me",
        })
        standIn.reset()

        const res = await post(`/admin/xcover/offers/${failed.id}/retry`)
        expect(res.status).toBe(200)
        expect(res.data.offer).toMatchObject({
          id: failed.id,
          status: "opted_out",
          attempts: failed.attempts + 1,
        })
        // declined_at stays the order's; retry.maxAgeMs counts again from the retry.
        expect(new Date(res.data.offer.declined_at).getTime()).toBe(
          new Date(failed.declined_at as Date).getTime()
        )
        expect(
          new Date(res.data.offer.retry_deadline_at).getTime()
        ).toBeGreaterThan(Date.now())
        expect(standIn.acceptedOfferIds()).toEqual(["retry-me"])

        const again = await post(`/admin/xcover/offers/${failed.id}/retry`)
        expect(again.status).toBe(400)
        expect(again.data.message).toMatch(/opted_out/)
        expect(
          (await post("/admin/xcover/offers/xco_missing/retry")).status
        ).toBe(404)
      })

      it("retries every failed or rejected offer of the filter at once, and nothing else", async () => {
        standIn.script("bulk-rejected-1", { status: 404 })
        standIn.script("bulk-rejected-2", { status: 422 })
        standIn.script(
          "bulk-failed",
          ...Array.from({ length: 50 }, () => ({ status: 503 }))
        )
        const { orderId } = await orderDeclining(
          "bulk-rejected-1",
          "bulk-rejected-2",
          "bulk-failed"
        )
        await eventually(
          async () => {
            expect(await statusOf("bulk-rejected-1")).toBe("rejected")
            expect(await statusOf("bulk-rejected-2")).toBe("rejected")
            expect(await statusOf("bulk-failed")).toBe("failed")
          },
          // Four tries with backoff, each woken by a timer: a deadline for a busy machine, not a timing.
          { timeoutMs: 60_000 }
        )
        standIn.reset()

        expect(
          (await post("/admin/xcover/offers/retry", { status: ["bogus"] }))
            .status
        ).toBe(400)
        expect(
          (await post("/admin/xcover/offers/retry", { order: orderId })).status
        ).toBe(400)
        const res = await post("/admin/xcover/offers/retry", {
          status: ["rejected"],
          order_id: orderId,
        })
        expect(res.status).toBe(200)
        expect(res.data).toEqual({ requeued: 2 })
        await eventually(async () => {
          await runXcoverOutboxJob(getContainer())
          expect(await statusOf("bulk-rejected-1")).toBe("opted_out")
          expect(await statusOf("bulk-rejected-2")).toBe("opted_out")
        })
        expect(await statusOf("bulk-failed")).toBe("failed")
        expect(standIn.requestsFor("bulk-failed")).toEqual([])
      })

      it("sends a rejected opt-out again on retry", async () => {
        standIn.script("rejected-once", { status: 404 })
        await orderDeclining("rejected-once")
        await eventually(async () =>
          expect(await statusOf("rejected-once")).toBe("rejected")
        )
        const [row] = await xcover().listXcoverOffers({
          offer_id: "rejected-once",
        })
        const res = await post(`/admin/xcover/offers/${row.id}/retry`)
        expect(res.data.offer.status).toBe("opted_out")
      })
    })

    describe("XCover's side of the books: read-backs and what XCover reports differently", () => {
      const db = () =>
        getContainer().resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION)
      const readers = async () =>
        (await get("/admin/xcover/reconciler")).data.reconciler.readbacks
      const bookingOf = async (orderId: string) =>
        (await get(`/admin/xcover/bookings?order_id=${orderId}`)).data
          .bookings[0]

      /** A booked policy, its order and XCover's copy of it. */
      const bookedPolicy = async () => {
        const { orderId } = await shop.orderCovered()
        const booking = await eventually(async () => {
          const b = await bookingOf(orderId)
          expect(b?.status).toBe("booked")
          return b
        })
        return { orderId, booking }
      }

      /** The policy's read-back is due now (its schedule's next day has come); resolves once it was read again. */
      const readBack = async (orderId: string) => {
        const before = standIn.received.filter(
          (r) => r.route === "get_booking"
        ).length
        await db().raw(
          `UPDATE xcover_readback SET status = 'pending', next_attempt_at = now() WHERE order_id = ?`,
          [orderId]
        )
        await eventually(async () => {
          await runXcoverOutboxJob(getContainer())
          expect(
            standIn.received.filter(
              (r) => r.route === "get_booking" && r.answer === 200
            ).length
          ).toBeGreaterThan(before)
          const [row] = (
            await db().raw(
              `SELECT status FROM xcover_readback WHERE order_id = ?`,
              [orderId]
            )
          ).rows
          expect(row.status).not.toBe("sending")
        })
      }

      it("counts the policies read back, in total and in the last 24 hours", async () => {
        const before = await readers()
        const { orderId } = await bookedPolicy()
        await readBack(orderId)
        expect(await readers()).toEqual({
          policies_read: before.policies_read + 1,
          read_last_24h: before.read_last_24h + 1,
          unreadable: before.unreadable,
          reported_differently: before.reported_differently,
        })
      })

      it("keeps another price XCover reports next to the price booked, and clears it once XCover agrees again", async () => {
        const { orderId, booking } = await bookedPolicy()
        standIn.updateBooking(booking.booking_id, { total_price: 12.4 })
        await readBack(orderId)
        const drifted = await bookingOf(orderId)
        expect(drifted).toMatchObject({
          booking_status: "CONFIRMED",
          total_price: booking.total_price,
          currency: "EUR",
          reported: {
            differs: ["price"],
            status: "CONFIRMED",
            currency: "EUR",
            total_price: 12.4,
            total_premium: booking.total_premium,
          },
        })
        expect(
          new Date(drifted.reported.reported_at).getTime()
        ).toBeGreaterThan(Date.now() - 60_000)
        expect((await readers()).reported_differently).toBe(1)

        standIn.updateBooking(booking.booking_id, {
          total_price: booking.total_price,
        })
        await readBack(orderId)
        expect((await bookingOf(orderId)).reported).toBeNull()
        expect((await readers()).reported_differently).toBe(0)
      })

      it("shows a policy XCover holds live after the store cancelled it, and keeps reading it", async () => {
        const { orderId, booking } = await bookedPolicy()
        expect(
          (await post(`/admin/xcover/bookings/${booking.id}/cancel`)).data
            .booking.id
        ).toBe(booking.id)
        await eventually(async () =>
          expect((await bookingOf(orderId)).booking_status).toBe("CANCELLED")
        )
        // XCover has it live again (its own mistake, or a cancellation that did not take there).
        standIn.updateBooking(booking.booking_id, { status: "CONFIRMED" })
        await readBack(orderId)
        expect(await bookingOf(orderId)).toMatchObject({
          booking_status: "CANCELLED",
          reported: { differs: ["status"], status: "CONFIRMED" },
        })
        const [row] = (
          await db().raw(
            `SELECT status, next_attempt_at FROM xcover_readback WHERE order_id = ?`,
            [orderId]
          )
        ).rows
        expect(row.status).toBe("pending")
        expect(row.next_attempt_at).not.toBeNull()
      })
    })

    describe("sales report: attach rate, premium and refunds per day and per plan", () => {
      const db = () =>
        getContainer().resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION)
      /** Moves a ledger row to a fixed instant: the flows record "now", the report needs days of its own. */
      const setTime = (
        table: "xcover_offer" | "xcover_booking",
        column: string,
        offerId: string,
        iso: string
      ) =>
        db().raw(
          `UPDATE ${table} SET ${column} = ?::timestamptz WHERE offer_id = ?`,
          [iso, offerId]
        )
      const bookedBooking = (orderId: string) =>
        eventually(async () => {
          const [b] = await xcover().listOrderBookings(orderId)
          expect(b?.status).toBe("booked")
          return b
        })
      /** A cart whose tent line is quoted; the quantity then changes and it is quoted again (the first offer is replaced). */
      const requotedCart = async () => {
        const cartId = await shop.createCart()
        const line = (await shop.cart(cartId)).items[0]
        const first = (await shop.quote(cartId, line.id)).data.xcover_offer
        await shop.setQuantity(cartId, line.id, 2)
        const second = (await shop.quote(cartId, line.id)).data.xcover_offer
        expect(second.offer_id).not.toBe(first.offer_id)
        return { cartId, first, second }
      }

      it("answers every day of the range, zeros included, with exact figures per UTC day and per plan", async () => {
        // 1. A plugin quote, its first plan ("Standard Protection") taken; booked in EUR.
        const standard = await shop.orderCovered()
        const standardBooking = await bookedBooking(standard.orderId)
        // 2. Quoted, re-quoted after the quantity changed (the first offer replaced), its second plan taken; later cancelled.
        const requoted = await requotedCart()
        await shop.select(requoted.cartId, requoted.second.offer_id, {
          quote_id: requoted.second.quotes[1].id,
        })
        const premiumOrder = await shop.complete(requoted.cartId)
        const premiumBooking = await bookedBooking(premiumOrder)
        standIn.setRefundRatio(0.5)
        const cancelled = await post(
          `/admin/xcover/bookings/${premiumBooking.id}/cancel`
        )
        expect(cancelled.data.booking.id).toBe(premiumBooking.id)
        // The route answers after its dispatch; a busy budget may leave the confirmation to the sweep.
        const refund = await eventually(async () => {
          const booking = await xcover().getBooking(premiumBooking.id)
          expect(booking).toMatchObject({
            booking_status: "CANCELLED",
            total_refund: expect.any(Number),
          })
          return booking?.total_refund as number
        })
        // 3. A storefront's own offer whose premium plan XCover books in USD.
        standIn.knowOffer(
          "sales-usd",
          [{ id: "sales-usd-q", price: 7.25, product_config_id: "pc-premium" }],
          "USD"
        )
        const usdCart = await shop.createCart()
        await shop.recordOffer(usdCart, "sales-usd")
        await api.post(
          `/store/carts/${usdCart}/line-items`,
          {
            variant_id: seeded.insuranceVariantId,
            quantity: 1,
            metadata: {
              xcover_offer_id: "sales-usd",
              xcover_quote_ids: ["sales-usd-q"],
            },
          },
          { headers: { "x-publishable-api-key": seeded.publishableKey } }
        )
        const usdBooking = await bookedBooking(await shop.complete(usdCart))
        expect(usdBooking).toMatchObject({ currency: "USD", total_price: 7.25 })
        // 4. Declined offers, one on a cart still open, and two just outside the range.
        await orderDeclining("sales-declined-1", "sales-declined-2")
        const openCart = await shop.createCart()
        for (const offer of ["sales-open", "sales-before", "sales-after"]) {
          await shop.recordOffer(openCart, offer)
        }

        // The days each happened on (UTC), edges included: a day runs from 00:00:00.000 to 23:59:59.999.
        await setTime(
          "xcover_offer",
          "created_at",
          standard.offer.offer_id,
          "2026-01-02T08:00:00Z"
        )
        await setTime(
          "xcover_offer",
          "created_at",
          "sales-declined-1",
          "2026-01-02T23:59:59.999Z"
        )
        await setTime(
          "xcover_booking",
          "decided_at",
          standard.offer.offer_id,
          "2026-01-03T00:00:00Z"
        )
        await setTime(
          "xcover_offer",
          "created_at",
          requoted.first.offer_id,
          "2026-01-04T09:00:00Z"
        )
        await setTime(
          "xcover_offer",
          "created_at",
          requoted.second.offer_id,
          "2026-01-04T09:05:00Z"
        )
        await setTime(
          "xcover_offer",
          "created_at",
          "sales-declined-2",
          "2026-01-04T10:00:00Z"
        )
        await setTime(
          "xcover_offer",
          "created_at",
          "sales-usd",
          "2026-01-04T11:00:00Z"
        )
        await setTime(
          "xcover_booking",
          "decided_at",
          requoted.second.offer_id,
          "2026-01-04T09:30:00Z"
        )
        await setTime(
          "xcover_booking",
          "decided_at",
          "sales-usd",
          "2026-01-05T01:00:00+02:00"
        ) // 2026-01-04T23:00Z
        await setTime(
          "xcover_booking",
          "cancelled_at",
          requoted.second.offer_id,
          "2026-01-06T12:00:00Z"
        )
        await setTime(
          "xcover_offer",
          "created_at",
          "sales-open",
          "2026-01-07T23:59:59.999Z"
        )
        await setTime(
          "xcover_offer",
          "created_at",
          "sales-before",
          "2025-12-31T23:59:59.999Z"
        )
        await setTime(
          "xcover_offer",
          "created_at",
          "sales-after",
          "2026-01-08T00:00:00Z"
        )

        const { status, data } = await get(
          "/admin/xcover/stats/daily?from=2026-01-01&to=2026-01-07"
        )
        expect(status).toBe(200)
        const eur = (amount: number) => [{ currency: "EUR", amount }]
        const day = (
          date: string,
          shown: number,
          taken: number,
          premium_booked: unknown[] = [],
          refunds: unknown[] = []
        ) => ({
          date,
          shown,
          taken,
          attach_rate: shown ? taken / shown : null,
          premium_booked,
          refunds,
        })
        const p1 = standardBooking.total_price as number
        const p2 = premiumBooking.total_price as number
        expect(p1).toBe(standard.offer.quotes[0].price.amount)
        expect(p2).toBe(requoted.second.quotes[1].price.amount)
        expect(data.report).toEqual({
          from: "2026-01-01",
          to: "2026-01-07",
          time_zone: "UTC",
          days: [
            day("2026-01-01", 0, 0),
            day("2026-01-02", 2, 1),
            day("2026-01-03", 0, 0, eur(p1)),
            // The replaced offer is not counted; the USD booking's order was placed at 23:00 UTC.
            day("2026-01-04", 3, 2, [
              { currency: "EUR", amount: p2 },
              { currency: "USD", amount: 7.25 },
            ]),
            day("2026-01-05", 0, 0),
            day("2026-01-06", 0, 0, [], eur(refund)),
            day("2026-01-07", 1, 0),
          ],
          plans: [
            {
              plan: "Premium Protection",
              taken: 2,
              premium_booked: [
                { currency: "EUR", amount: p2 },
                { currency: "USD", amount: 7.25 },
              ],
              refunds: eur(refund),
            },
            {
              plan: "Standard Protection",
              taken: 1,
              premium_booked: eur(p1),
              refunds: [],
            },
          ],
          totals: {
            shown: 6,
            taken: 3,
            attach_rate: 0.5,
            premium_booked: [
              { currency: "EUR", amount: p1 + p2 },
              { currency: "USD", amount: 7.25 },
            ],
            refunds: eur(refund),
          },
        })
        expect(refund).toBe(Math.round(p2 * 50) / 100)

        // A range without anything: every day, all zeros, no plans.
        const empty = await get(
          "/admin/xcover/stats/daily?from=2025-06-01&to=2025-06-03"
        )
        expect(empty.data.report.days).toEqual([
          day("2025-06-01", 0, 0),
          day("2025-06-02", 0, 0),
          day("2025-06-03", 0, 0),
        ])
        expect(empty.data.report.plans).toEqual([])

        // One SQL statement per report, whatever the range's length (counted at the driver).
        for (const days of [1, 7, 90, MAX_RANGE_DAYS]) {
          const range = {
            from: addDays("2026-01-07", 1 - days),
            to: "2026-01-07",
          }
          const { result, statements } = await statementsOf(() =>
            xcover().getSalesReport(range)
          )
          expect(result.days).toHaveLength(days)
          expect(statements).toHaveLength(1)
          expect(statements[0]).toMatch(/^\s*WITH span AS/)
        }
        const full = await get(
          `/admin/xcover/stats/daily?from=${addDays("2026-01-07", 1 - MAX_RANGE_DAYS)}&to=2026-01-07`
        )
        expect(full.data.report.days).toHaveLength(MAX_RANGE_DAYS)
        // ...which also takes in the offer recorded a millisecond before 2026-01-01.
        expect(full.data.report.totals).toEqual({
          ...data.report.totals,
          shown: 7,
          attach_rate: 3 / 7,
        })
      })

      it("defaults to the last 30 UTC days, today included", async () => {
        await orderDeclining("sales-today")
        // Decided (the order's subscriber is done with it), so nothing is left running at the test's end.
        await eventually(async () =>
          expect(await statusOf("sales-today")).toBe("opted_out")
        )
        const before = new Date().toISOString().slice(0, 10)
        const { data } = await get("/admin/xcover/stats/daily")
        const after = new Date().toISOString().slice(0, 10)
        // Today as the server saw it (the test may straddle a UTC midnight).
        expect([before, after]).toContain(data.report.to)
        expect(data.report.from).toBe(addDays(data.report.to, -29))
        expect(data.report.days).toHaveLength(30)
        expect(data.report.totals).toMatchObject({
          shown: 1,
          taken: 0,
          attach_rate: 0,
        })
      })
    })

    // Last: the module's shutdown hook stops its dispatcher for good.
    describe("shutdown", () => {
      it("closes its keep-alive connections to XCover when the app shuts down", async () => {
        standIn.setDefault({ status: 404 })
        await post("/admin/xcover/settings/test-connection")
        expect(standIn.openConnections()).toBeGreaterThan(0)
        // What Medusa calls on every module at shutdown (MedusaModule.onApplicationShutdown).
        await xcover().__hooks.onApplicationShutdown()
        await eventually(() => expect(standIn.openConnections()).toBe(0))
        // A connection test (a person's request) still works: it opens a new pool.
        const again = await post("/admin/xcover/settings/test-connection")
        expect(again.data.connection.result).toBe("accepted")
        // Sending stops for good: an order placed now is decided, but its opt-out is not sent.
        await orderDeclining("after-shutdown")
        await eventually(async () =>
          expect(await statusOf("after-shutdown")).toBe("pending")
        )
        expect(standIn.requestsFor("after-shutdown")).toEqual([])
      })
    })
  },
})
