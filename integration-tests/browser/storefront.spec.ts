import { existsSync, mkdirSync } from "node:fs"
import path from "node:path"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { Browser, Page } from "playwright-core"
import { AdminUiServer } from "../helpers/admin-ui-server"
import { expectText, launchChromium } from "../helpers/chromium"
import { eventually } from "../helpers/eventually"
import { seedStore, type SeededStore } from "../helpers/seed-store"
import { useXcoverStandIn } from "../helpers/xcover-env"
import type { XcoverPolicy, XcoverQuotedOffer } from "../../storefront"

jest.setTimeout(180_000)

const ROOT = path.resolve(__dirname, "../..")
const ARTIFACTS = path.join(ROOT, "test-artifacts")
/** Built by scripts/test.mjs before the browser stage (vite, scripts/demo/shop/vite.config.mjs). */
const SHOP_DIR = path.join(ROOT, ".medusa/shop")
const standIn = useXcoverStandIn({
  XCOVER_ENCRYPTION_KEY: "browser-test-encryption-key-0123456789",
})

/**
 * The demo's shop page, built on medusa-plugin-xcover/storefront, driven in Chromium as a shopper:
 * XCover's offer in the cart, a plan taken and dropped, checkout, the policy on the confirmation.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let browser: Browser
    let shop: AdminUiServer
    let page: Page
    /** The store API calls of the page that failed (none should). */
    let failed: string[] = []
    const shot = (name: string) =>
      page.screenshot({
        path: path.join(ARTIFACTS, `storefront-${name}.png`),
        fullPage: true,
        animations: "disabled",
      })

    beforeAll(async () => {
      if (!existsSync(path.join(SHOP_DIR, "index.html"))) {
        throw new Error(
          `no shop page in ${SHOP_DIR}: run the browser stage through scripts/test.mjs, which builds it`
        )
      }
      mkdirSync(ARTIFACTS, { recursive: true })
      browser = await launchChromium()
    })

    afterAll(async () => {
      await browser?.close()
      await shop?.stop()
    })

    /** A fresh store, the shop page served with the store API on one origin, opened on the product. */
    const openShop = async (
      extra: Record<string, string> = {}
    ): Promise<SeededStore> => {
      standIn.reset()
      const seeded = await seedStore(getContainer())
      if (!shop) {
        const backendUrl = String(
          (api as unknown as { defaults: { baseURL: string } }).defaults.baseURL
        )
        shop = await new AdminUiServer(SHOP_DIR, backendUrl, "/shop").start()
      }
      await page?.close()
      page = await browser.newPage({
        viewport: { width: 1000, height: 1000 },
        locale: "en-US",
      })
      page.setDefaultTimeout(30_000)
      failed = []
      page.on("response", async (r) => {
        if (r.status() >= 400) {
          failed.push(
            `${r.request().method()} ${new URL(r.url()).pathname} ${r.status()} ${await r.text().catch(() => "")}`
          )
        }
      })
      const query = new URLSearchParams({
        pk: seeded.publishableKey,
        region: seeded.regionId,
        variant: seeded.variantId,
        shipping: seeded.shippingOptionId,
        ...extra,
      })
      await page.goto(`${shop.url}/shop/?${query}`)
      return seeded
    }

    /** Adds the product to the cart; answers XCover's offer for its line as the store API gave it to the page. */
    const addToCart = async (): Promise<XcoverQuotedOffer> => {
      const quoted = page.waitForResponse(
        (r) =>
          r.url().endsWith("/xcover-offers/quote") &&
          r.request().method() === "POST"
      )
      await page.getByRole("button", { name: "Add to cart" }).click()
      const answer = await quoted
      expect(answer.status()).toBe(200)
      const offer: XcoverQuotedOffer = (await answer.json()).xcover_offer
      await page.getByTestId("xcover-offer").waitFor()
      return offer
    }

    const total = async () =>
      Number(await page.getByTestId("cart-total").getAttribute("data-value"))
    const expectTotal = (value: number) =>
      eventually(async () => {
        expect(failed).toEqual([])
        expect(await total()).toBeCloseTo(value, 2)
      })
    const plan = (offer: XcoverQuotedOffer, index: number) =>
      page.getByRole("radio", { name: offer.quotes[index].title ?? "" })

    it("shows XCover's offer, adds and removes the chosen plan at its price, and shows the policy after checkout", async () => {
      const seeded = await openShop()
      // Booking takes a moment at XCover: the confirmation first says the policy is being issued.
      standIn.holdConfirms(4_000)
      const offer = await addToCart()
      const { content } = offer
      expect(content).toMatchObject({
        title: expect.any(String),
        heading: expect.any(String),
        positive_cta: expect.any(String),
        negative_cta: expect.any(String),
        disclaimer: expect.any(String),
      })
      expect(offer.quotes.length).toBeGreaterThan(1)

      // XCover's copy, as XCover wrote it.
      const box = page.getByTestId("xcover-offer")
      for (const text of [
        content!.title,
        content!.heading,
        content!.positive_cta,
        content!.negative_cta,
        content!.disclaimer,
      ]) {
        await expectText(box, text!)
      }
      const plans = box.getByTestId("xcover-plan")
      expect(await plans.count()).toBe(offer.quotes.length)
      for (const [i, q] of offer.quotes.entries()) {
        await expectText(plans.nth(i), q.title!)
        expect(
          await plans.nth(i).getByTestId("xcover-plan-price").innerText()
        ).toBe(q.price.formatted)
        expect(
          await plans
            .nth(i)
            .getByRole("link", { name: "Policy terms (PDS)" })
            .getAttribute("href")
        ).toBe(q.pds_url)
      }
      // A radio group named by XCover's heading, nothing chosen for the shopper.
      expect(
        await page.getByRole("radiogroup", { name: content!.heading! }).count()
      ).toBe(1)
      expect(await page.getByRole("radio").count()).toBe(
        offer.quotes.length + 1
      )
      expect(await page.getByRole("radio", { checked: true }).count()).toBe(0)
      const before = await total()
      expect(before).toBeGreaterThan(0)
      await shot("01-offer")

      // The second plan: the cart grows by exactly its price, with a cover line naming plan and product.
      const second = offer.quotes[1]
      await plan(offer, 1).click()
      await expectTotal(before + second.price.amount)
      const line = page.getByTestId("xcover-cover-line")
      await expectText(line.getByTestId("xcover-cover-plan"), second.title!)
      await expectText(line.getByTestId("xcover-cover-covered"), "Covers: Tent")
      expect(await line.getByRole("link").count()).toBe(0)
      expect(await line.locator("select, input").count()).toBe(0)
      expect(await plan(offer, 1).isChecked()).toBe(true)
      await shot("02-plan-taken")

      // "No thanks": the cover line leaves, the total is what it was.
      await page.getByRole("radio", { name: content!.negative_cta! }).click()
      await expectTotal(before)
      await line.waitFor({ state: "detached" })
      await shot("03-declined")

      // The first plan again, removed from the cart line, then taken once more for the checkout.
      await plan(offer, 0).click()
      await expectTotal(before + offer.quotes[0].price.amount)
      await line.getByRole("button", { name: /^Remove / }).click()
      await expectTotal(before)
      expect(await page.getByRole("radio", { checked: true }).count()).toBe(0)
      await plan(offer, 0).click()
      await expectTotal(before + offer.quotes[0].price.amount)

      await page.getByRole("button", { name: "Place order" }).click()
      const orderId = await page
        .getByTestId("order-id")
        .getAttribute("data-order-id")
      expect(orderId).toMatch(/^order_/)
      const policy = page.getByTestId("xcover-policy")
      const issuing = policy.and(page.locator('[data-status="processing"]'))
      await expectText(issuing, "Being issued")
      expect(await issuing.getByRole("link").count()).toBe(0)
      await shot("04-policy-being-issued")

      await policy.and(page.locator('[data-status="confirmed"]')).waitFor()
      const [issued]: XcoverPolicy[] = (
        await api.get(`/store/orders/${orderId}/xcover-policies`, {
          headers: { "x-publishable-api-key": seeded.publishableKey },
        })
      ).data.xcover_policies
      expect(issued.policy_number).toBe(standIn.bookingFor(offer.offer_id)?.id)
      expect(await policy.getByTestId("xcover-policy-number").innerText()).toBe(
        issued.policy_number
      )
      await expectText(policy, offer.quotes[0].title!)
      for (const [name, href] of [
        ["Certificate of insurance", issued.coi_url],
        ["Policy terms (PDS)", issued.pds_url],
        ["Make a claim", issued.claim_url],
      ] as const) {
        expect(href).toBeTruthy()
        expect(
          await policy.getByRole("link", { name }).getAttribute("href")
        ).toBe(href)
      }
      await shot("05-policy-confirmed")
      expect(failed).toEqual([])
    })

    it("shows nothing while XCover is unavailable, and the offer once it answers again", async () => {
      // The page asks again 2 s after a 503 (30 s by default).
      await openShop({ xcover_retry_ms: "2000" })
      standIn.scriptNext({ status: 503 })
      const unavailable = page.waitForResponse((r) =>
        r.url().endsWith("/xcover-offers/quote")
      )
      await page.getByRole("button", { name: "Add to cart" }).click()
      expect((await unavailable).status()).toBe(503)
      await page
        .getByTestId("xcover-offer-loading")
        .waitFor({ state: "detached" })
      // No offer, no error, no empty box: the cart as if there were no cover to sell.
      for (const id of [
        "xcover-offer",
        "xcover-offer-error",
        "xcover-offer-loading",
      ]) {
        expect(await page.getByTestId(id).count()).toBe(0)
      }
      await page.getByTestId("product-line").waitFor()
      await shot("07-xcover-unavailable")
      // Asked again: XCover answers, the offer appears, still with nothing chosen.
      await page.getByTestId("xcover-offer").waitFor()
      expect(
        standIn.received
          .filter((r) => r.route === "create_offer")
          .map((r) => r.answer)
      ).toEqual([503, 200])
      expect(await page.getByRole("radio", { checked: true }).count()).toBe(0)
      expect(
        failed.filter(
          (f) =>
            !f.startsWith("POST /store/carts/") ||
            !f.includes("/xcover-offers/quote 503")
        )
      ).toEqual([])
    })

    it("says so when a plan cannot be added, and leaves nothing chosen", async () => {
      const seeded = await openShop()
      const offer = await addToCart()
      const before = await total()
      // The covered line changes behind the page's back: the offer is stale, the select route answers 409.
      const cartId = await page
        .getByRole("region", { name: "Cart" })
        .getAttribute("data-cart-id")
      await api.post(
        `/store/carts/${cartId}/line-items/${offer.line_item_id}`,
        { quantity: 2 },
        { headers: { "x-publishable-api-key": seeded.publishableKey } }
      )
      const refused = page.waitForResponse(
        (r) => r.url().includes("/select") && r.request().method() === "POST"
      )
      await plan(offer, 0).click()
      expect((await refused).status()).toBe(409)
      await expectText(
        page.getByTestId("xcover-offer").getByRole("alert"),
        "The protection could not be added"
      )
      expect(await page.getByRole("radio", { checked: true }).count()).toBe(0)
      expect(await page.getByTestId("xcover-cover-line").count()).toBe(0)
      expect(await total()).toBe(before)
      await shot("08-select-refused")
      expect(
        failed.filter(
          (f) =>
            !/^POST \/store\/carts\/[^/]+\/xcover-offers\/[^/]+\/select 409 /.test(
              f
            )
        )
      ).toEqual([])
    })

    it("takes a plan with the keyboard alone", async () => {
      await openShop()
      const offer = await addToCart()
      const before = await total()
      // Tab to the radio group (one stop), Space takes the focused plan, arrows move to the next.
      for (
        let i = 0;
        i < 20 &&
        !(await page.evaluate(
          () => document.activeElement?.getAttribute("role") === "radio"
        ));
        i++
      ) {
        await page.keyboard.press("Tab")
      }
      expect(
        await page.evaluate(() => document.activeElement?.getAttribute("role"))
      ).toBe("radio")
      await page.keyboard.press("Space")
      await expectTotal(before + offer.quotes[0].price.amount)
      // Held as a person holds a key: Radix moves the focus on a timer after keydown, and takes the
      // focused plan only while an arrow key is down (a synthetic press can release it before).
      await page.keyboard.down("ArrowDown")
      await eventually(async () =>
        expect(
          await page.evaluate(() =>
            document.activeElement?.getAttribute("value")
          )
        ).toBe(offer.quotes[1].id)
      )
      await page.keyboard.up("ArrowDown")
      await expectTotal(before + offer.quotes[1].price.amount)
      expect(await plan(offer, 1).isChecked()).toBe(true)
      await page
        .getByTestId("xcover-cover-line")
        .getByTestId("xcover-cover-plan")
        .filter({ hasText: offer.quotes[1].title! })
        .waitFor()
      await shot("06-keyboard")
      expect(failed).toEqual([])
    })
  },
})
