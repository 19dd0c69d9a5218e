/**
 * Password reset in Chromium against the built server (issue 9, "Done when: reset from the emailed link"): the
 * worker is signed in in one browser; in another, "Forgot password?" on the sign-in page sends the link, which the
 * job worker delivers to a real SMTP sink in this process; the link lands on /reset-password, which drops the token
 * from the address bar and sends no Referer; the new password is set; signing in with it works, and the session of
 * the first browser is gone. The tests run in order and share the state they build.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { describeOnlyIf } from "../helpers/only-if.ts";
import { signedInPage, TENANT_PATH } from "./helpers/access-app.ts";
import { hasChromium, INSTALL_HINT, launchChromium, warnMissingChromium } from "./helpers/browser.ts";
import { serverSkipReason } from "./helpers/e2e-app.ts";
import { startInviteApp, waitForMailTo, type InviteApp } from "./helpers/invite-app.ts";

const runBrowser = hasChromium();
const skipReason = serverSkipReason();

if (!runBrowser && !process.env.CI) warnMissingChromium();
else if (skipReason) console.warn(`\n!! e2e password reset tests SKIPPED: ${skipReason}\n`);

describeOnlyIf(!runBrowser && !!process.env.CI)("Chromium", () => {
  it("should be installed on CI", () => {
    throw new Error(`/usr/bin/chromium is missing; install it with: ${INSTALL_HINT}`);
  });
});

describe.runIf(runBrowser && !skipReason)("password reset from the sign-in page, in Chromium", () => {
  let app: InviteApp;
  let browser: Browser;
  /** The worker's first browser, signed in before the reset. */
  let before: Page;
  const contexts: BrowserContext[] = [];
  const NEW_PASSWORD = "e2e-reset-passphrase-77";
  let resetUrl: string;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startInviteApp(), launchChromium()]);
    before = await signedInPage(browser, app, app.worker);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function freshPage(): Promise<Page> {
    const context = await browser.newContext({ baseURL: app.server.baseUrl, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context.newPage();
  }

  it("should send the reset link from Forgot password? on the sign-in page", async () => {
    const page = await freshPage();
    await page.goto("/signin");
    await page.getByTestId("forgot-password-link").click();
    await page.waitForURL(/\/forgot-password$/);
    await page.getByLabel("Email").fill(app.worker.email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByTestId("forgot-password-done").innerText()).resolves.toMatch(/If an account uses this address/);

    const mail = await waitForMailTo(app.sink, app.worker.email, { where: (m) => m.subject === "Reset your Roster password", timeoutMs: 45_000 });
    const escaped = app.server.baseUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const m = new RegExp(`${escaped}/reset-password\\?token=rs_pr_[A-Za-z0-9_-]{43}`).exec(mail.text ?? "");
    expect(m, mail.text ?? "").not.toBeNull();
    resetUrl = m![0];
  }, 90_000);

  it("should take the token out of the address bar, send no Referer, and set the new password", async () => {
    const page = await freshPage();
    const res = await page.goto(resetUrl);
    expect(res?.headers()["referrer-policy"]).toBe("no-referrer");
    await page.getByLabel("New password", { exact: true }).waitFor({ state: "visible" });
    await page.waitForFunction(() => !window.location.search);
    expect(new URL(page.url()).pathname).toBe("/reset-password");

    // The policy is enforced by the server, which names the problem.
    await page.getByLabel("New password", { exact: true }).fill("qwerty123456");
    await page.getByLabel("Repeat the new password").fill("qwerty123456");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page.getByText(/most common passwords/).first().innerText()).resolves.toMatch(/most common passwords/);

    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel("Repeat the new password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.waitForURL(/\/signin\?reset=1/);
    await page.getByTestId("signin-reset").waitFor({ state: "visible" });
    await page.locator('input[name="password"]').fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(TENANT_PATH);

    const notice = await waitForMailTo(app.sink, app.worker.email, { where: (m) => m.subject === "Your Roster password was changed", timeoutMs: 45_000 });
    expect(notice.text).toMatch(/password was changed/);
  }, 90_000);

  it("should have ended the session signed in before the reset", async () => {
    await before.goto("/account");
    await before.waitForURL(/\/signin/);
  });

  it("should refuse the used link on a second visit", async () => {
    const page = await freshPage();
    await page.goto(resetUrl);
    await expect(page.getByTestId("reset-link-state").getAttribute("data-state")).resolves.toBe("used");
  });
});
