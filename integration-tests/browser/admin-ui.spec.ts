import { mkdirSync } from "node:fs"
import path from "node:path"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { Browser, Page } from "playwright-core"
import { ADMIN_USER, createAdminUser } from "../helpers/admin-user"
import { AdminUiServer } from "../helpers/admin-ui-server"
import { expectText, launchChromium } from "../helpers/chromium"
import { eventually } from "../helpers/eventually"
import { seedStore, type SeededStore } from "../helpers/seed-store"
import { Storefront } from "../helpers/storefront"
import { TEST_CREDENTIALS, useXcoverStandIn } from "../helpers/xcover-env"
import runXcoverOutboxJob from "../../src/jobs/xcover-outbox"
import type XcoverModuleService from "../../src/modules/xcover/service"

jest.setTimeout(240_000)

const ROOT = path.resolve(__dirname, "../..")
const ARTIFACTS = path.join(ROOT, "test-artifacts")
const standIn = useXcoverStandIn({
  XCOVER_ENCRYPTION_KEY: "browser-test-encryption-key-0123456789",
})

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let browser: Browser
    let ui: AdminUiServer
    let page: Page
    const shot = (name: string) =>
      page.screenshot({
        path: path.join(ARTIFACTS, `${name}.png`),
        fullPage: true,
        animations: "disabled",
      })

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true })
      browser = await launchChromium()
    })

    afterAll(async () => {
      await browser?.close()
      await ui?.stop()
    })

    /**
     * An admin user in this test's database (each test after the first starts from the
     * runner's restored snapshot), the dashboard served, and a fresh page logged in like a
     * store owner.
     */
    const signIn = async () => {
      await createAdminUser(getContainer(), api)
      if (!ui) {
        const backendUrl = String(
          (api as unknown as { defaults: { baseURL: string } }).defaults.baseURL
        )
        ui = await new AdminUiServer(
          path.join(ROOT, ".medusa/admin"),
          backendUrl
        ).start()
      }
      await page?.close()
      // A fixed locale: the assertions read amounts as en-US formats them (€7.50).
      page = await browser.newPage({
        viewport: { width: 1440, height: 1000 },
        locale: "en-US",
      })
      page.setDefaultTimeout(30_000)
      await page.goto(`${ui.url}/app/login`)
      await page.locator('input[name="email"]').fill(ADMIN_USER.email)
      await page.locator('input[name="password"]').fill(ADMIN_USER.password)
      await page.locator('button[type="submit"]').click()
      await page.waitForURL((url) => !url.pathname.endsWith("/login"))
    }

    /** An order whose cover line takes a storefront's own offer with this quote id (the insurance variant costs 5 EUR). */
    const placeOrderTaking = async (
      seeded: SeededStore,
      shop: Storefront,
      offerId: string,
      quoteId: string
    ) => {
      const cartId = await shop.createCart()
      await shop.recordOffer(cartId, offerId)
      await api.post(
        `/store/carts/${cartId}/line-items`,
        {
          variant_id: seeded.insuranceVariantId,
          quantity: 1,
          metadata: { xcover_offer_id: offerId, xcover_quote_ids: [quoteId] },
        },
        { headers: { "x-publishable-api-key": seeded.publishableKey } }
      )
      return shop.complete(cartId)
    }

    /** A fresh stand-in and store, signed in; an order's first booking as the ledger has it. */
    const freshStore = async () => {
      standIn.reset()
      const seeded = await seedStore(getContainer())
      const shop = new Storefront(api, seeded)
      await signIn()
      const xcover = getContainer().resolve<XcoverModuleService>("xcover")
      const bookingOf = async (orderId: string) =>
        (await xcover.listOrderBookings(orderId))[0]
      return { seeded, shop, bookingOf }
    }

    it("configures XCover, tests the connection and shows the opt-out of a placed order", async () => {
      // XCover answers 404 for the connection test's made-up offer, 204 for the real opt-out.
      standIn.setDefault({ status: 404 })
      standIn.script("browser-declined-1", { status: 204 })
      const shop = new Storefront(api, await seedStore(getContainer()))
      await signIn()

      // Settings → XCover: values come from the plugin options until saved here.
      await page.goto(`${ui.url}/app/settings/xcover`)
      await page.getByRole("heading", { name: "XCover" }).waitFor()
      await expectText(page.getByTestId("source-partner_code"), "Plugin option")
      // The base URL comes from the plugin option (the stand-in): shown as such, and the admin
      // can only choose production or sandbox, never type a URL.
      await expectText(page.getByTestId("source-environment"), "Plugin option")
      await expectText(
        page.locator("#environment"),
        "Custom base URL (plugin option)"
      )
      await page
        .getByText(
          `Calls go to ${standIn.baseUrl}, set by the baseUrl plugin option.`
        )
        .waitFor()
      await page.locator("#environment").click()
      expect(await page.getByRole("option").allTextContents()).toEqual([
        "Production (api.xcover.com)",
        "Sandbox (api.xcover-staging.com)",
      ])
      await page.keyboard.press("Escape")
      expect(await page.locator("#base_url").count()).toBe(0)
      await page.locator("#api_secret").fill(TEST_CREDENTIALS.apiSecret)
      await page.locator("#partner_code").fill(TEST_CREDENTIALS.partnerCode)
      const saved = page.waitForResponse(
        (r) =>
          r.url().endsWith("/admin/xcover/settings") &&
          r.request().method() === "POST"
      )
      await page.getByRole("button", { name: "Save" }).click()
      expect((await saved).status()).toBe(200)
      await expectText(page.getByTestId("source-api_secret"), "Saved here")
      expect(await page.locator("#api_secret").inputValue()).toBe("")
      expect(await page.content()).not.toContain(TEST_CREDENTIALS.apiSecret)

      await page.getByRole("button", { name: "Test connection" }).click()
      const result = page.getByTestId("xcover-connection-result")
      await expectText(result, "Connected: XCover accepted the credentials.")
      expect(await result.getAttribute("data-result")).toBe("accepted")
      await shot("01-settings-test-connection")

      // A shopper places an order and declines the offer.
      const cartId = await shop.createCart()
      await shop.recordOffer(cartId, "browser-declined-1")
      const orderId = await shop.complete(cartId)
      const xcover = getContainer().resolve<XcoverModuleService>("xcover")
      await eventually(async () =>
        expect(
          (await xcover.listXcoverOffers({ offer_id: "browser-declined-1" }))[0]
            ?.status
        ).toBe("opted_out")
      )

      // The opt-out log shows it, with its figures and a link to the order.
      await page.goto(`${ui.url}/app/xcover`)
      const row = page.locator('[data-offer-id="browser-declined-1"]')
      await expectText(row, "Opted out")
      await expectText(page.getByTestId("stat-opted_out"), "1")
      expect(await row.locator("a").getAttribute("href")).toBe(
        `/app/orders/${orderId}`
      )
      await shot("02-opt-out-log")

      // ...and so does the order's page.
      await row.locator("a").click()
      const widget = page.getByTestId("xcover-order-widget")
      await expectText(widget, "browser-declined-1")
      await expectText(
        widget.locator('[data-offer-id="browser-declined-1"]'),
        "Opted out"
      )
      await widget.scrollIntoViewIfNeeded()
      await shot("03-order-widget")

      // XCover refused an offer (404): the store owner retries every rejected offer at once.
      standIn.script("browser-rejected-1", { status: 404 }, { status: 204 })
      const rejectedCart = await shop.createCart()
      await shop.recordOffer(rejectedCart, "browser-rejected-1")
      await shop.complete(rejectedCart)
      await eventually(async () =>
        expect(
          (await xcover.listXcoverOffers({ offer_id: "browser-rejected-1" }))[0]
            ?.status
        ).toBe("rejected")
      )
      await page.goto(`${ui.url}/app/xcover`)
      await page.getByRole("button", { name: "rejected", exact: true }).click()
      await expectText(
        page.locator('[data-offer-id="browser-rejected-1"]'),
        "Rejected"
      )
      await page
        .getByRole("button", {
          name: "Retry failed and rejected in this filter",
        })
        .click()
      await page.getByText("1 offer queued again").first().waitFor()
      // Queued again: the dispatch job's next run sends it (its schedule is not relied on under the test runner).
      await eventually(async () => {
        await runXcoverOutboxJob(getContainer())
        expect(
          (await xcover.listXcoverOffers({ offer_id: "browser-rejected-1" }))[0]
            ?.status
        ).toBe("opted_out")
      })

      // XCover refuses the credentials: the settings page says sending is paused, and why. XCover
      // itself refuses them too, so the job's probe (every second here) keeps the circuit open.
      standIn.setDefault({ status: 403 })
      await getContainer()
        .resolve<{ raw(sql: string): Promise<unknown> }>(
          ContainerRegistrationKeys.PG_CONNECTION
        )
        .raw(
          "UPDATE xcover_dispatch_state SET circuit_opened_at = now(), circuit_probe_at = now() + interval '10 minutes', circuit_reason = '403 auth_error: You do not have permission to access this url'"
        )
      await page.goto(`${ui.url}/app/settings/xcover`)
      const circuit = page.getByTestId("xcover-circuit")
      await expectText(
        circuit,
        "XCover refuses the credentials: sending is paused."
      )
      await expectText(
        circuit,
        "403 auth_error: You do not have permission to access this url"
      )
      await shot("04-settings-circuit-open")
    })

    // The runner restored its snapshot before this test: a new store and admin, the circuit closed again.
    it("shows an order's policy with its links, a failed booking with XCover's message and a retry that books it, and bookings in the log", async () => {
      const seeded = await seedStore(getContainer())
      const shop = new Storefront(api, seeded)
      await signIn()
      const xcover = getContainer().resolve<XcoverModuleService>("xcover")
      const bookingOf = async (orderId: string) =>
        (await xcover.listOrderBookings(orderId))[0]
      const orderTaking = (offerId: string, quoteId: string) =>
        placeOrderTaking(seeded, shop, offerId, quoteId)

      // XCover books the first at 7.50 while the order charged 5.00; it does not know the second (404).
      standIn.knowOffer("browser-booked-1", [{ id: "browser-q-1", price: 7.5 }])
      const bookedOrder = await orderTaking("browser-booked-1", "browser-q-1")
      const failedOrder = await orderTaking("browser-unknown-1", "browser-q-2")
      await eventually(async () =>
        expect((await bookingOf(bookedOrder))?.status).toBe("booked")
      )
      await eventually(async () =>
        expect((await bookingOf(failedOrder))?.status).toBe("failed")
      )
      const policy = standIn.bookingFor("browser-booked-1")!

      // The order page: the policy's number, plan, price, mismatch and links (new tab, no opener).
      await page.goto(`${ui.url}/app/orders/${bookedOrder}`)
      const widget = page.getByTestId("xcover-order-widget")
      const card = widget.locator('[data-booking-offer-id="browser-booked-1"]')
      await expectText(card.getByTestId("xcover-policy-number"), policy.id)
      await expectText(card, "Booked")
      await expectText(card, policy.quotes[0].policy.policy_name)
      await expectText(
        card.getByTestId("xcover-price-mismatch"),
        "XCover booked €7.50, order charged €5.00"
      )
      const links = card.getByTestId("xcover-policy-links").locator("a")
      const hrefs: Record<string, string | null> = {}
      for (const link of await links.all()) {
        expect(await link.getAttribute("target")).toBe("_blank")
        expect(await link.getAttribute("rel")).toContain("noopener")
        hrefs[String(await link.getAttribute("data-link"))] =
          await link.getAttribute("href")
      }
      expect(hrefs).toEqual({
        coi: policy.coi.url,
        coi_pdf: policy.coi.pdf,
        pds: policy.pds_url,
        claim: policy.fnol_link,
        cancel: policy.cancel_link,
      })
      // The cancel link's token is in links' addresses only: never in the text, a title or another attribute.
      const token = new URL(policy.cancel_link).searchParams.get(
        "security_token"
      )!
      const carriers = await page.evaluate(
        (t) =>
          [...document.querySelectorAll("*")].flatMap((el) =>
            [...el.attributes]
              .filter((a) => a.value.includes(t))
              .map((a) => `${el.tagName}.${a.name}`)
          ),
        token
      )
      expect(new Set(carriers)).toEqual(new Set(["A.href"]))
      expect(await page.locator("body").innerText()).not.toContain(token)
      await card.scrollIntoViewIfNeeded()
      await shot("05-order-policy")

      // A failed booking says what XCover answered, and offers a retry.
      await page.goto(`${ui.url}/app/orders/${failedOrder}`)
      const failedCard = page
        .getByTestId("xcover-order-widget")
        .locator('[data-booking-offer-id="browser-unknown-1"]')
      await expectText(
        failedCard.getByTestId("xcover-booking-error"),
        "Quote package does not exist"
      )
      await expectText(failedCard, "Failed")
      await failedCard.scrollIntoViewIfNeeded()
      await shot("06-order-booking-failed")

      // The log page: bookings when filtered by kind, with the figures.
      await page.goto(`${ui.url}/app/xcover`)
      await expectText(page.getByTestId("stat-policies_booked"), "1")
      await expectText(page.getByTestId("stat-bookings_failed"), "1")
      await expectText(
        page.getByTestId("stat-premium_booked"),
        `€${policy.total_premium.toFixed(2)}`
      )
      await page
        .getByRole("group", { name: "Filter by kind" })
        .getByRole("button", { name: "Bookings", exact: true })
        .click()
      const bookedRow = page.locator(
        '[data-booking-offer-id="browser-booked-1"]'
      )
      await expectText(bookedRow, policy.id)
      await expectText(
        bookedRow.getByTestId("xcover-price-mismatch"),
        "XCover booked €7.50, order charged €5.00"
      )
      expect(await bookedRow.locator("a").getAttribute("href")).toBe(
        `/app/orders/${bookedOrder}`
      )
      await expectText(
        page.locator('[data-booking-offer-id="browser-unknown-1"]'),
        "Quote package does not exist"
      )
      await page.getByTestId("xcover-log").waitFor({ state: "detached" })
      await shot("07-booking-log")

      // Once XCover knows the offer, Retry on the order page books it (at the price charged: no mismatch).
      standIn.knowOffer("browser-unknown-1", [{ id: "browser-q-2", price: 5 }])
      await page.goto(`${ui.url}/app/orders/${failedOrder}`)
      const retried = page
        .getByTestId("xcover-order-widget")
        .locator('[data-booking-offer-id="browser-unknown-1"]')
      await retried.getByRole("button", { name: "Retry" }).click()
      const retriedPolicy = await eventually(() => {
        const booking = standIn.bookingFor("browser-unknown-1")
        expect(booking).toBeDefined()
        return booking!
      })
      await expectText(
        retried.getByTestId("xcover-policy-number"),
        retriedPolicy.id
      )
      await expectText(retried, "Booked")
      expect(await retried.getByTestId("xcover-booking-error").count()).toBe(0)
      expect(await retried.getByTestId("xcover-price-mismatch").count()).toBe(0)
      expect(await retried.getByRole("button", { name: "Retry" }).count()).toBe(
        0
      )
      await retried.scrollIntoViewIfNeeded()
      await shot("08-order-booking-retried")

      await page.goto(`${ui.url}/app/xcover`)
      await expectText(page.getByTestId("stat-policies_booked"), "2")
      await expectText(page.getByTestId("stat-bookings_failed"), "0")
    })

    it("cancels a policy from the order page after XCover's preview of the refund; a failed cancellation shows XCover's answer and is retried", async () => {
      const { seeded, shop, bookingOf } = await freshStore()

      // XCover refunds 80 % of each quote's price: 4.00 of the 5.00 booked, an adjustment fee of 1.00.
      standIn.setRefundRatio(0.8)
      standIn.knowOffer("browser-cancel-1", [{ id: "browser-q-3", price: 5 }])
      const orderId = await placeOrderTaking(
        seeded,
        shop,
        "browser-cancel-1",
        "browser-q-3"
      )
      await eventually(async () =>
        expect((await bookingOf(orderId))?.status).toBe("booked")
      )
      const policy = standIn.bookingFor("browser-cancel-1")!

      await page.goto(`${ui.url}/app/orders/${orderId}`)
      const card = page
        .getByTestId("xcover-order-widget")
        .locator('[data-booking-offer-id="browser-cancel-1"]')
      await expectText(card.getByTestId("xcover-policy-number"), policy.id)
      await expectText(card, "Booked")

      // "Cancel policy" asks XCover for its preview and shows it, with the warning, before anything changes.
      const previewed = page.waitForResponse(
        (r) =>
          r.url().endsWith("/cancel-preview") && r.request().method() === "POST"
      )
      await card.getByRole("button", { name: "Cancel policy" }).click()
      const preview = (await (await previewed).json()).preview
      expect(preview).toMatchObject({
        total_refund: 4,
        currency: "EUR",
        quotes: [{ id: "browser-q-3", refund_value: 4, adjustment_fee: 1 }],
      })
      const prompt = page.getByTestId("xcover-cancel-prompt")
      await expectText(
        prompt.getByTestId("xcover-cancel-preview-refund"),
        "Refund: €4.00"
      )
      await expectText(
        prompt.getByTestId("xcover-cancel-preview-quotes"),
        "refund €4.00, fee €1.00"
      )
      await expectText(prompt, "this cannot be undone")
      await expectText(prompt, "The plugin does not move money")
      expect(standIn.cancellationsFor("browser-cancel-1")).toHaveLength(0)
      expect(await bookingOf(orderId)).toMatchObject({
        booking_status: "CONFIRMED",
        cancellation: null,
      })
      await shot("09-cancel-policy-prompt")

      // Confirming cancels it once: the card shows it cancelled, by hand, with the refund XCover computed.
      await prompt.getByRole("button", { name: "Cancel the policy" }).click()
      await prompt.waitFor({ state: "detached" })
      await expectText(
        card.getByTestId("xcover-cancellation-badge"),
        "Cancelled"
      )
      await expectText(card, "CANCELLED")
      await expectText(
        card.getByTestId("xcover-refund"),
        "Refund to pay back to the shopper: €4.00"
      )
      await expectText(
        card.getByTestId("xcover-cancellation"),
        "by hand in the admin"
      )
      expect(
        await card.getByRole("button", { name: "Cancel policy" }).count()
      ).toBe(0)
      // No "Cancel at XCover" link any more; the documents stay.
      expect(await card.locator('[data-link="cancel"]').count()).toBe(0)
      expect(await card.locator('[data-link="coi"]').count()).toBe(1)
      expect(standIn.cancellationsFor("browser-cancel-1")).toHaveLength(1)
      expect(await bookingOf(orderId)).toMatchObject({
        booking_status: "CANCELLED",
        total_refund: 4,
        cancellation: { status: "cancelled", reason: "admin" },
      })
      await card.scrollIntoViewIfNeeded()
      await shot("10-policy-cancelled")

      // XCover refuses the next one's cancellation (after the admin's preview): the card says so; a retry cancels it.
      standIn.knowOffer("browser-cancel-2", [{ id: "browser-q-4", price: 5 }])
      const refusedOrder = await placeOrderTaking(
        seeded,
        shop,
        "browser-cancel-2",
        "browser-q-4"
      )
      await eventually(async () =>
        expect((await bookingOf(refusedOrder))?.status).toBe("booked")
      )
      standIn.script(
        "browser-cancel-2",
        { status: 200 },
        {
          status: 422,
          body: {
            type: "validation_error",
            message: "Cancellation is not allowed yet",
          },
        }
      )
      await page.goto(`${ui.url}/app/orders/${refusedOrder}`)
      const refused = page
        .getByTestId("xcover-order-widget")
        .locator('[data-booking-offer-id="browser-cancel-2"]')
      await refused.getByRole("button", { name: "Cancel policy" }).click()
      await page
        .getByTestId("xcover-cancel-prompt")
        .getByRole("button", { name: "Cancel the policy" })
        .click()
      await expectText(
        refused.getByTestId("xcover-cancellation-error"),
        "Cancellation is not allowed yet"
      )
      await expectText(
        refused.getByTestId("xcover-cancellation-badge"),
        "Cancellation failed"
      )
      expect(standIn.cancellationsFor("browser-cancel-2")).toHaveLength(0)
      await refused.scrollIntoViewIfNeeded()
      await shot("11-policy-cancellation-failed")
      await refused.getByRole("button", { name: "Retry cancellation" }).click()
      await expectText(
        refused.getByTestId("xcover-refund"),
        "Refund to pay back to the shopper: €4.00"
      )
      expect(standIn.cancellationsFor("browser-cancel-2")).toHaveLength(1)

      // The log: each booking's cancellation and refund, and the figures.
      await page.goto(`${ui.url}/app/xcover`)
      await expectText(page.getByTestId("stat-policies_cancelled"), "2")
      await expectText(page.getByTestId("stat-refunds"), "€8.00")
      await page
        .getByRole("group", { name: "Filter by kind" })
        .getByRole("button", { name: "Bookings", exact: true })
        .click()
      const row = page
        .locator('[data-booking-offer-id="browser-cancel-1"]')
        .getByTestId("xcover-booking-cancellation")
      await expectText(row, "Cancelled")
      await expectText(row, "Refund €4.00 · by hand")
      await page.getByTestId("xcover-log").waitFor({ state: "detached" })
      await shot("12-booking-log-cancelled")
    })

    it("reconciles an order cancelled without its event from the order page; the log shows the reconciler's figures and a price XCover reports differently", async () => {
      const { seeded, shop, bookingOf } = await freshStore()

      standIn.knowOffer("browser-reconcile-1", [
        { id: "browser-q-5", price: 5 },
      ])
      const orderId = await placeOrderTaking(
        seeded,
        shop,
        "browser-reconcile-1",
        "browser-q-5"
      )
      await eventually(async () =>
        expect((await bookingOf(orderId))?.status).toBe("booked")
      )
      // Cancelled in the order module directly: no order.canceled event, so nothing cancels the policy by itself.
      await getContainer().resolve(Modules.ORDER).cancel(orderId)
      expect((await bookingOf(orderId)).booking_status).toBe("CONFIRMED")

      await page.goto(`${ui.url}/app/orders/${orderId}`)
      const widget = page.getByTestId("xcover-order-widget")
      const card = widget.locator(
        '[data-booking-offer-id="browser-reconcile-1"]'
      )
      await expectText(card, "Booked")
      await widget.getByRole("button", { name: "Reconcile now" }).click()
      const result = widget.getByTestId("xcover-reconcile-result")
      await expectText(
        result,
        "Cancellation asked for: browser-reconcile-1 (order cancelled)"
      )
      // The policies were read again: the card shows the cancellation the reconciler asked for.
      await expectText(
        card.getByTestId("xcover-cancellation-badge"),
        "Cancelled"
      )
      await expectText(
        card.getByTestId("xcover-cancellation"),
        "because the order was cancelled"
      )
      expect(standIn.cancellationsFor("browser-reconcile-1")).toHaveLength(1)
      await widget.scrollIntoViewIfNeeded()
      await shot("13-order-reconciled")
      await widget.getByRole("button", { name: "Reconcile now" }).click()
      await expectText(result, "Books match: nothing to do.")
      expect(standIn.cancellationsFor("browser-reconcile-1")).toHaveLength(1)

      // XCover reports another price for a second policy at its read-back (due now; the job runs).
      standIn.knowOffer("browser-drift-1", [{ id: "browser-q-6", price: 5 }])
      const driftOrder = await placeOrderTaking(
        seeded,
        shop,
        "browser-drift-1",
        "browser-q-6"
      )
      await eventually(async () =>
        expect((await bookingOf(driftOrder))?.status).toBe("booked")
      )
      const policy = standIn.bookingFor("browser-drift-1")!
      const bookedPrice = policy.total_price
      standIn.updateBooking(policy.id, { total_price: 12.4 })
      const db = getContainer().resolve<{
        raw(sql: string, params: unknown[]): Promise<unknown>
      }>(ContainerRegistrationKeys.PG_CONNECTION)
      await db.raw(
        "UPDATE xcover_readback SET next_attempt_at = now() WHERE order_id = ?",
        [driftOrder]
      )
      await eventually(async () => {
        await runXcoverOutboxJob(getContainer())
        expect((await bookingOf(driftOrder)).reported).not.toBeNull()
      })
      const both = `XCover: €12.40 · booked: €${bookedPrice.toFixed(2)}`

      await page.goto(`${ui.url}/app/orders/${driftOrder}`)
      const driftCard = page
        .getByTestId("xcover-order-widget")
        .locator('[data-booking-offer-id="browser-drift-1"]')
      await expectText(driftCard.getByTestId("xcover-reported"), both)
      await expectText(
        driftCard.getByTestId("xcover-reported"),
        "XCover reports this policy differently from the store"
      )
      await driftCard.scrollIntoViewIfNeeded()
      await shot("14-order-reported-differently")

      // The log: the reconciler's figures (the job's run above checked orders) and the policy read back.
      await page.goto(`${ui.url}/app/xcover`)
      const figures = page.getByTestId("xcover-reconciler-stats")
      await expectText(figures.getByTestId("stat-policies_read"), "1 (1)")
      await expectText(figures.getByTestId("stat-reported_differently"), "1")
      await expectText(figures.getByTestId("stat-repaired_order_canceled"), "0")
      await expectText(figures.getByTestId("stat-retrying_orders"), "0")
      await expectText(page.getByTestId("xcover-reconciler-runs"), "Last run:")
      expect(
        await page.getByTestId("xcover-reconciler-runs").innerText()
      ).not.toContain("Last run: –")
      await page
        .getByRole("group", { name: "Filter by kind" })
        .getByRole("button", { name: "Bookings", exact: true })
        .click()
      await expectText(
        page
          .locator('[data-booking-offer-id="browser-drift-1"]')
          .getByTestId("xcover-reported"),
        both
      )
      await page.getByTestId("xcover-log").waitFor({ state: "detached" })
      await shot("15-log-reconciler-figures")
    })

    it("shows what sells: totals, the chart by day and the table by plan over the chosen range", async () => {
      const { shop } = await freshStore()
      const db = getContainer().resolve<{
        raw(sql: string, params: unknown[]): Promise<unknown>
      }>(ContainerRegistrationKeys.PG_CONNECTION)
      const xcover = getContainer().resolve<XcoverModuleService>("xcover")
      const booked = async (orderId: string) =>
        eventually(async () => {
          const [b] = await xcover.listOrderBookings(orderId)
          expect(b?.status).toBe("booked")
          return b
        })

      // Three carts quoted by the plugin: the first plan taken (€5.00, 3 days ago), the second (€9.00, today), one declined.
      const standard = await shop.orderCovered()
      await booked(standard.orderId)
      const cartId = await shop.createCart()
      const line = (await shop.cart(cartId)).items[0]
      const offer = (await shop.quote(cartId, line.id)).data.xcover_offer
      await shop.select(cartId, offer.offer_id, {
        quote_id: offer.quotes[1].id,
      })
      const premium = await booked(await shop.complete(cartId))
      const declinedCart = await shop.createCart()
      await shop.quote(
        declinedCart,
        (await shop.cart(declinedCart)).items[0].id
      )
      await shop.complete(declinedCart)
      await eventually(async () =>
        expect(
          (await xcover.listXcoverOffers({ status: ["shown"] })).length
        ).toBe(0)
      )
      await db.raw(
        "UPDATE xcover_offer SET created_at = created_at - interval '3 days' WHERE offer_id = ?",
        [standard.offer.offer_id]
      )
      await db.raw(
        "UPDATE xcover_booking SET decided_at = decided_at - interval '3 days' WHERE offer_id = ?",
        [standard.offer.offer_id]
      )
      expect(premium.total_price).toBe(9)

      await page.goto(`${ui.url}/app/xcover`)
      const sales = page.getByTestId("xcover-sales")
      const report = sales.getByTestId("xcover-sales-report")
      await report.waitFor()
      // The last 30 UTC days by default, every day on the chart.
      const today = new Date().toISOString().slice(0, 10)
      expect(await report.getAttribute("data-to")).toBe(today)
      expect(
        await sales.getByTestId("xcover-sales-chart").getAttribute("data-days")
      ).toBe("30")
      await expectText(sales.getByTestId("stat-sales_shown"), "3")
      await expectText(sales.getByTestId("stat-sales_taken"), "2")
      await expectText(sales.getByTestId("stat-sales_attach_rate"), "66.7 %")
      await expectText(sales.getByTestId("stat-sales_premium_booked"), "€14.00")
      await expectText(sales.getByTestId("stat-sales_refunds"), "–")

      // The chart: premium bars on the two days with bookings (a bar of 0 is not drawn), the attach-rate line.
      const chart = sales.getByTestId("xcover-sales-chart")
      await chart.locator("svg.recharts-surface").first().waitFor()
      await eventually(async () =>
        expect(await chart.locator("path.recharts-rectangle").count()).toBe(2)
      )
      expect(
        await chart.locator("path.recharts-line-curve").getAttribute("d")
      ).toMatch(/^M/)
      await expectText(chart, "Premium booked (EUR)")
      await expectText(chart, "Attach rate")

      // By plan, most taken first (one each: by name).
      const plans = sales.getByTestId("xcover-plan-table")
      const premiumRow = plans.locator('[data-plan="Premium Protection"]')
      await expectText(premiumRow.locator('[data-column="taken"]'), "1")
      await expectText(premiumRow.locator('[data-column="share"]'), "50.0 %")
      await expectText(
        premiumRow.locator('[data-column="premium_booked"]'),
        "€9.00"
      )
      await expectText(
        plans.locator(
          '[data-plan="Standard Protection"] [data-column="premium_booked"]'
        ),
        "€5.00"
      )
      expect(
        await plans
          .locator("[data-plan]")
          .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-plan")))
      ).toEqual(["Premium Protection", "Standard Protection"])
      await sales.scrollIntoViewIfNeeded()
      await shot("16-what-sells")

      // Last 7 days, then a custom range of yesterday alone: nothing there, every figure zero.
      await sales.getByRole("button", { name: "Last 7 days" }).click()
      await eventually(async () =>
        expect(
          await sales
            .getByTestId("xcover-sales-chart")
            .getAttribute("data-days")
        ).toBe("7")
      )
      const yesterday = new Date(Date.now() - 86_400_000)
        .toISOString()
        .slice(0, 10)
      await sales.locator("#xcover-sales-from").fill(yesterday)
      await sales.locator("#xcover-sales-to").fill(today)
      await eventually(async () =>
        expect(
          await sales
            .getByTestId("xcover-sales-report")
            .getAttribute("data-from")
        ).toBe(yesterday)
      )
      await expectText(sales.getByTestId("stat-sales_shown"), "2")
      await sales.locator("#xcover-sales-from").fill(today)
      await sales.locator("#xcover-sales-to").fill(yesterday)
      await expectText(
        sales.getByTestId("xcover-sales-range-problem"),
        "from must not be after to"
      )
    })
  },
})
