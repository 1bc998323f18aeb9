import { mkdirSync } from "node:fs"
import path from "node:path"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { chromium, type Browser, type Page } from "playwright-core"
import { ADMIN_USER, createAdminUser } from "../helpers/admin-user"
import { AdminUiServer } from "../helpers/admin-ui-server"
import { eventually } from "../helpers/eventually"
import { seedStore } from "../helpers/seed-store"
import { Storefront } from "../helpers/storefront"
import { TEST_CREDENTIALS, useXcoverStandIn } from "../helpers/xcover-env"
import type XcoverModuleService from "../../src/modules/xcover/service"

jest.setTimeout(240_000)

const ROOT = path.resolve(__dirname, "../..")
const ARTIFACTS = path.join(ROOT, "test-artifacts")
const standIn = useXcoverStandIn({ XCOVER_ENCRYPTION_KEY: "browser-test-encryption-key-0123456789" })

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let browser: Browser
    let ui: AdminUiServer
    let page: Page
    const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true })

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true })
      browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
        headless: true,
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
      })
    })

    afterAll(async () => {
      await browser?.close()
      await ui?.stop()
    })

    it("configures XCover, tests the connection and shows the opt-out of a placed order", async () => {
      // XCover answers 404 for the connection test's made-up offer, 204 for the real opt-out.
      standIn.setDefault({ status: 404 })
      standIn.script("browser-declined-1", { status: 204 })
      const shop = new Storefront(api, await seedStore(getContainer()))
      await createAdminUser(getContainer(), api)
      const backendUrl = String((api as unknown as { defaults: { baseURL: string } }).defaults.baseURL)
      ui = await new AdminUiServer(path.join(ROOT, ".medusa/admin"), backendUrl).start()
      page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
      page.setDefaultTimeout(30_000)

      // Log in like a store owner.
      await page.goto(`${ui.url}/app/login`)
      await page.locator('input[name="email"]').fill(ADMIN_USER.email)
      await page.locator('input[name="password"]').fill(ADMIN_USER.password)
      await page.locator('button[type="submit"]').click()
      await page.waitForURL((url) => !url.pathname.endsWith("/login"))

      // Settings → XCover: values come from the plugin options until saved here.
      await page.goto(`${ui.url}/app/settings/xcover`)
      await page.getByRole("heading", { name: "XCover" }).waitFor()
      await expectText(page.getByTestId("source-partner_code"), "Plugin option")
      // The base URL comes from the plugin option (the stand-in): shown as such, and the admin
      // can only choose production or sandbox, never type a URL.
      await expectText(page.getByTestId("source-environment"), "Plugin option")
      await expectText(page.locator("#environment"), "Custom base URL (plugin option)")
      await page.getByText(`Calls go to ${standIn.baseUrl}, set by the baseUrl plugin option.`).waitFor()
      await page.locator("#environment").click()
      expect(await page.getByRole("option").allTextContents()).toEqual(["Production (api.xcover.com)", "Sandbox (api.xcover-staging.com)"])
      await page.keyboard.press("Escape")
      expect(await page.locator("#base_url").count()).toBe(0)
      await page.locator("#api_secret").fill(TEST_CREDENTIALS.apiSecret)
      await page.locator("#partner_code").fill(TEST_CREDENTIALS.partnerCode)
      const saved = page.waitForResponse((r) => r.url().endsWith("/admin/xcover/settings") && r.request().method() === "POST")
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
      await eventually(async () => expect((await xcover.listXcoverOffers({ offer_id: "browser-declined-1" }))[0]?.status).toBe("opted_out"))

      // The opt-out log shows it, with its figures and a link to the order.
      await page.goto(`${ui.url}/app/xcover`)
      const row = page.locator('[data-offer-id="browser-declined-1"]')
      await expectText(row, "Opted out")
      await expectText(page.getByTestId("stat-opted_out"), "1")
      expect(await row.locator("a").getAttribute("href")).toBe(`/app/orders/${orderId}`)
      await shot("02-opt-out-log")

      // ...and so does the order's page.
      await row.locator("a").click()
      const widget = page.getByTestId("xcover-order-widget")
      await expectText(widget, "browser-declined-1")
      await expectText(widget.locator('[data-offer-id="browser-declined-1"]'), "Opted out")
      await widget.scrollIntoViewIfNeeded()
      await shot("03-order-widget")

      // XCover refused an offer (404): the store owner retries every rejected offer at once.
      standIn.script("browser-rejected-1", { status: 404 }, { status: 204 })
      const rejectedCart = await shop.createCart()
      await shop.recordOffer(rejectedCart, "browser-rejected-1")
      await shop.complete(rejectedCart)
      await eventually(async () => expect((await xcover.listXcoverOffers({ offer_id: "browser-rejected-1" }))[0]?.status).toBe("rejected"))
      await page.goto(`${ui.url}/app/xcover`)
      await page.getByRole("button", { name: "rejected", exact: true }).click()
      await expectText(page.locator('[data-offer-id="browser-rejected-1"]'), "Rejected")
      await page.getByRole("button", { name: "Retry failed and rejected in this filter" }).click()
      await page.getByText("1 offer queued again").first().waitFor()
      await eventually(async () => expect((await xcover.listXcoverOffers({ offer_id: "browser-rejected-1" }))[0]?.status).toBe("opted_out"))

      // XCover refuses the credentials: the settings page says sending is paused, and why.
      await getContainer()
        .resolve<{ raw(sql: string): Promise<unknown> }>(ContainerRegistrationKeys.PG_CONNECTION)
        .raw(
          "UPDATE xcover_dispatch_state SET circuit_opened_at = now(), circuit_probe_at = now() + interval '10 minutes', circuit_reason = '403 auth_error: You do not have permission to access this url'"
        )
      await page.goto(`${ui.url}/app/settings/xcover`)
      const circuit = page.getByTestId("xcover-circuit")
      await expectText(circuit, "XCover refuses the credentials: sending is paused.")
      await expectText(circuit, "403 auth_error: You do not have permission to access this url")
      await shot("04-settings-circuit-open")
    })
  },
})

/** Waits until the element's text contains `text` (Playwright's own wait, no sleeping). */
async function expectText(locator: ReturnType<Page["locator"]>, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ state: "visible" })
}
