/** The admin app in Chromium against the built server: sign-in, the tenant shell, sessions, sign-out. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeOnlyIf } from "../helpers/only-if.ts";
import type { Browser, Page } from "playwright-core";
import { focusedName, hasChromium, INSTALL_HINT, launchChromium, warnMissingChromium } from "./helpers/browser.ts";
import { serverSkipReason, startE2eApp, type E2eApp } from "./helpers/e2e-app.ts";

const NAV_LINKS = ["Members", "Pending", "Roles", "Units", "Tokens", "Audit", "Settings"];
const TENANT_PATH = /\/t\/([a-z0-9-]+)$/;
const runBrowser = hasChromium();
const skipReason = serverSkipReason();

if (!runBrowser && !process.env.CI) warnMissingChromium();
else if (skipReason) console.warn(`\n!! e2e browser tests SKIPPED: ${skipReason}\n`);

describeOnlyIf(!runBrowser && !!process.env.CI)("Chromium", () => {
  it("should be installed on CI", () => {
    throw new Error(`/usr/bin/chromium is missing; install it with: ${INSTALL_HINT}`);
  });
});

describe.runIf(runBrowser && !skipReason)("admin app in Chromium", () => {
  let app: E2eApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startE2eApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function newPage(width = 1280, height = 800): Promise<Page> {
    const context = await browser.newContext({ baseURL: app.server.baseUrl, viewport: { width, height } });
    return context.newPage();
  }

  async function signIn(page: Page, password = app.owner.password): Promise<void> {
    await page.goto("/signin");
    await page.locator('input[name="email"]').fill(app.owner.email);
    await page.locator('input[name="password"]').fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
  }

  async function signedIn(width?: number): Promise<Page> {
    const page = await newPage(width);
    await signIn(page);
    await page.waitForURL(TENANT_PATH);
    return page;
  }

  it("should redirect an anonymous visitor from / to /signin", async () => {
    const page = await newPage();
    await page.goto("/");
    expect(new URL(page.url()).pathname).toBe("/signin");
    await expect.poll(() => page.locator('input[name="email"]').isVisible()).toBe(true);
    await page.context().close();
  });

  it("should show signin-error for a wrong password and stay on /signin", async () => {
    const page = await newPage();
    await signIn(page, "definitely-not-the-password");
    await page.getByTestId("signin-error").waitFor({ state: "visible" });
    expect(await page.getByTestId("signin-error").innerText()).toBe("Wrong email or password.");
    expect(new URL(page.url()).pathname).toBe("/signin");
    await page.context().close();
  });

  it("should sign in with the keyboard alone and land in the tenant shell", async () => {
    const page = await newPage();
    await page.goto("/signin");
    await page.locator('input[name="email"]').waitFor();
    // Walk the tab order from the top until the email field has focus (it may already have it: autofocus).
    for (let i = 0; i < 10 && (await focusedName(page)) !== "email"; i++) await page.keyboard.press("Tab");
    expect(await focusedName(page)).toBe("email");
    await page.keyboard.type(app.owner.email);
    await page.keyboard.press("Tab");
    expect(await focusedName(page)).toBe("password");
    await page.keyboard.type(app.owner.password);
    await page.keyboard.press("Enter");
    await page.waitForURL(TENANT_PATH);

    await page.getByTestId("tenant-shell").waitFor({ state: "visible" });
    const name = (await page.getByTestId("tenant-name").innerText()).trim();
    expect(name.length).toBeGreaterThan(0);
    if (app.tenant) {
      expect(name).toBe(app.tenant.name);
      expect(page.url()).toMatch(new RegExp(`/t/${app.tenant.slug}$`));
    }
    const nav = page.getByTestId("tenant-nav");
    for (const label of NAV_LINKS) expect(await nav.getByRole("link", { name: label, exact: true }).isVisible(), label).toBe(true);
    expect(await page.getByTestId("tenant-switcher").count()).toBe(1);
    await page.context().close();
  });

  it("should style the pages with Tailwind (preflight, theme colour, Inter)", async () => {
    const page = await newPage();
    await page.goto("/signin");
    const styles = await page.evaluate(() => {
      const button = [...document.querySelectorAll("button")].find((b) => b.textContent?.includes("Sign in"));
      return {
        bodyMargin: getComputedStyle(document.body).margin,
        bodyFont: getComputedStyle(document.body).fontFamily,
        buttonBackground: button ? getComputedStyle(button).backgroundColor : null,
      };
    });
    // Preflight resets the browser's 8px body margin; bg-brand paints the button; the theme's sans font is Inter.
    expect(styles.bodyMargin).toBe("0px");
    expect(styles.buttonBackground).not.toBeNull();
    expect(styles.buttonBackground).not.toBe("rgba(0, 0, 0, 0)");
    expect(styles.bodyFont).toMatch(/inter/i);
    await page.context().close();
  });

  for (const width of [375, 1440]) {
    it(`should keep every section reachable at ${width} px without horizontal page scrolling`, async () => {
      const page = await signedIn(width);
      const nav = page.getByTestId("tenant-nav");
      // Phones show the sections behind the Menu button (its own test is in navigation.test.ts).
      if (width < 768) await nav.getByRole("button", { name: "Menu" }).click();
      for (const label of NAV_LINKS) expect(await nav.getByRole("link", { name: label, exact: true }).isVisible(), label).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await nav.getByRole("link", { name: "Settings", exact: true }).click();
      await page.waitForURL(/\/t\/[a-z0-9-]+\/settings$/);
      await page.getByTestId("tenant-shell").waitFor({ state: "visible" });
      await page.getByTestId("sign-out").waitFor({ state: "visible" });
      await page.context().close();
    });
  }

  it("should list the current session on /account", async () => {
    const page = await signedIn();
    await page.goto("/account");
    await page.getByTestId("session-row").first().waitFor({ state: "visible" });
    expect(await page.getByTestId("session-row").count()).toBeGreaterThanOrEqual(1);
    await page.context().close();
  });

  it("should sign out back to /signin, after which the tenant pages redirect to /signin", async () => {
    const page = await signedIn();
    const tenantPath = new URL(page.url()).pathname;
    await page.getByTestId("sign-out").click();
    await page.waitForURL(/\/signin/);
    await page.goto(tenantPath);
    expect(new URL(page.url()).pathname).toBe("/signin");
    await page.context().close();
  });
});
