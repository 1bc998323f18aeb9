import { chromium, type Browser, type Page } from "playwright-core"

/** Debian's Chromium (or CHROMIUM_PATH), headless, quiet: what the browser tests drive. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  })
}

/** Waits until the element's text contains `text` (Playwright's own wait, no sleeping). */
export async function expectText(
  locator: ReturnType<Page["locator"]>,
  text: string
): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ state: "visible" })
}
