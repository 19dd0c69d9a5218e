/**
 * Navigation of the admin app in Chromium (issue 11, item 2): a signed-out deep link comes back to the very page and
 * query after sign-in, and only same-site paths are honoured; every admin page marks exactly one menu item as
 * current; on a phone a Menu button opens the whole navigation, which closes on Esc and after a choice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { describeOnlyIf } from "../helpers/only-if.ts";
import { hasChromium, INSTALL_HINT, launchChromium, warnMissingChromium } from "./helpers/browser.ts";
import { serverSkipReason } from "./helpers/e2e-app.ts";
import { DEMO_TENANT, TENANT_PATH, startAccessApp, type AccessApp } from "./helpers/access-app.ts";

const runBrowser = hasChromium();
const skipReason = serverSkipReason();
const PAGES = ["", "/members", "/pending", "/roles", "/units", "/tokens", "/audit", "/settings"] as const;
const LABELS: Record<(typeof PAGES)[number], string> = {
  "": "Overview", "/members": "Members", "/pending": "Pending", "/roles": "Roles", "/units": "Units", "/tokens": "Tokens", "/audit": "Audit", "/settings": "Settings",
};

if (!runBrowser && !process.env.CI) warnMissingChromium();
else if (skipReason) console.warn(`\n!! e2e navigation tests SKIPPED: ${skipReason}\n`);

describeOnlyIf(!runBrowser && !!process.env.CI)("Chromium", () => {
  it("should be installed on CI", () => {
    throw new Error(`/usr/bin/chromium is missing; install it with: ${INSTALL_HINT}`);
  });
});

describe.runIf(runBrowser && !skipReason)("navigation in Chromium", () => {
  let app: AccessApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startAccessApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function newPage(width: number, height: number): Promise<Page> {
    const context = await browser.newContext({ baseURL: app.server.baseUrl, viewport: { width, height } });
    return context.newPage();
  }

  async function signInHere(page: Page): Promise<void> {
    await page.getByLabel("Email").fill(app.owner.email);
    await page.getByLabel("Password").fill(app.owner.password);
    await page.getByRole("button", { name: "Sign in" }).click();
  }

  for (const [width, height] of [[1440, 900], [375, 812]] as const) {
    it(`should come back to the deep link with its query after signing in, at ${width} px`, async () => {
      const page = await newPage(width, height);
      const deep = `/t/${DEMO_TENANT}/members?q=Jo&sort=email`;
      await page.goto(deep);
      await page.waitForURL(/\/signin\?/);
      expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe(deep);
      await signInHere(page);
      await page.waitForURL((u) => u.pathname === `/t/${DEMO_TENANT}/members`);
      const url = new URL(page.url());
      expect(url.pathname + url.search).toBe(deep);
      expect(await page.getByTestId("members-search").inputValue()).toBe("Jo");
      await page.context().close();
    });
  }

  it("should send a foreign or malformed return address to Overview instead", async () => {
    for (const target of ["https://evil.example/x", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]) {
      const page = await newPage(1440, 900);
      await page.goto(`/signin?callbackUrl=${encodeURIComponent(target)}`);
      await signInHere(page);
      await page.waitForURL(TENANT_PATH);
      expect(new URL(page.url()).origin, target).toBe(app.server.baseUrl);
      await page.context().close();
    }
  });

  it("should mark exactly one menu item as the current page on every admin page", async () => {
    const page = await newPage(1440, 900);
    await page.goto("/signin");
    await signInHere(page);
    await page.waitForURL(TENANT_PATH);
    for (const p of PAGES) {
      await page.goto(`/t/${DEMO_TENANT}${p}`);
      const current = page.getByTestId("tenant-nav").locator('[aria-current="page"]');
      expect(await current.allInnerTexts(), p || "/").toEqual([LABELS[p]]);
      expect(await page.locator('[aria-current="page"]').count(), p || "/").toBe(1);
    }
    await page.context().close();
  });

  it("should open the whole navigation from the Menu button on a phone, close it on Esc and after a choice", async () => {
    const page = await newPage(375, 812);
    await page.goto("/signin");
    await signInHere(page);
    await page.waitForURL(TENANT_PATH);
    const nav = page.getByTestId("tenant-nav");
    const menu = nav.getByRole("button", { name: "Menu" });
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    expect(await nav.getByRole("link", { name: "Settings", exact: true }).isVisible()).toBe(false);

    await menu.click();
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    for (const label of Object.values(LABELS)) {
      const link = nav.getByRole("link", { name: label, exact: true });
      expect(await link.isVisible(), label).toBe(true);
      // Inside the viewport, not scrolled out of sight in a strip.
      const box = (await link.boundingBox())!;
      expect(box.x >= 0 && box.x + box.width <= 375, label).toBe(true);
    }
    await page.keyboard.press("Escape");
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe("Menu");

    await menu.click();
    await nav.getByRole("link", { name: "Audit", exact: true }).click();
    await page.waitForURL(/\/audit$/);
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    expect(await nav.locator('[aria-current="page"]').allInnerTexts()).toEqual(["Audit"]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.context().close();
  });
});
