/**
 * The account page's confirmations are real dialogs (app/_components/ui ConfirmDialog over Radix), not
 * window.confirm(): titled, focus moved inside, Escape and Cancel close them without acting, confirm acts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeOnlyIf } from "../helpers/only-if.ts";
import type { Browser, Page } from "playwright-core";
import { hasChromium, INSTALL_HINT, launchChromium, warnMissingChromium } from "./helpers/browser.ts";
import { serverSkipReason, startE2eApp, type E2eApp } from "./helpers/e2e-app.ts";

const runBrowser = hasChromium();
const skipReason = serverSkipReason();

if (!runBrowser && !process.env.CI) warnMissingChromium();
else if (skipReason) console.warn(`\n!! e2e account dialog tests SKIPPED: ${skipReason}\n`);

describeOnlyIf(!runBrowser && !!process.env.CI)("Chromium", () => {
  it("should be installed on CI", () => {
    throw new Error(`/usr/bin/chromium is missing; install it with: ${INSTALL_HINT}`);
  });
});

describe.runIf(runBrowser && !skipReason)("account page dialogs in Chromium", () => {
  let app: E2eApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startE2eApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signedIn(): Promise<Page> {
    const context = await browser.newContext({ baseURL: app.server.baseUrl, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    // A native confirm() would be a regression: record any so the test fails on it.
    page.on("dialog", (d) => void d.dismiss().then(() => nativeDialogs.push(d.message())));
    await page.goto("/signin");
    await page.locator('input[name="email"]').fill(app.owner.email);
    await page.locator('input[name="password"]').fill(app.owner.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/t\/[a-z0-9-]+$/);
    return page;
  }
  const nativeDialogs: string[] = [];

  it("should confirm 'Sign out everywhere else' in a dialog that Escape and Cancel close without acting", async () => {
    const other = await signedIn();
    const page = await signedIn();
    await page.goto("/account");
    const rows = page.getByTestId("session-row");
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    const before = await rows.count();
    const open = page.getByRole("button", { name: "Sign out everywhere else" });

    await open.click();
    const dialog = page.getByRole("dialog", { name: "Sign out every other session?" });
    await dialog.waitFor({ state: "visible" });
    expect(await dialog.getByText("except this one").isVisible()).toBe(true);
    // Focus moved into the dialog (first focusable: Cancel), so Enter cannot confirm by accident.
    expect(await page.evaluate(() => document.activeElement?.closest("[role=dialog]") !== null)).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Cancel");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    // Focus returns to the button that opened it.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Sign out everywhere else");

    await open.click();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.reload();
    await expect.poll(() => rows.count()).toBe(before);

    await open.click();
    await dialog.getByRole("button", { name: "Sign out everywhere else" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(() => page.getByTestId("sessions-notice").innerText()).toBe(`Signed out ${before - 1} other session(s).`);
    expect(await page.getByTestId("sessions-notice").getAttribute("role")).toBe("status");
    await expect.poll(() => rows.count()).toBe(1);

    // The other browser was signed out for real.
    await other.goto("/account");
    expect(new URL(other.url()).pathname).toBe("/signin");
    expect(nativeDialogs).toEqual([]);
    await other.context().close();
    await page.context().close();
  });
});
