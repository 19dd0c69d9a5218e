/**
 * Issue 9 in Chromium: an invitation whose unit is archived before it is accepted. The owner invites a new address
 * at the depot from the pending page (link shown, no email), then archives the depot; the invitee opens the link,
 * signs up, signs in and accepts. The accept goes through (membership created), and the landing page names the
 * archived unit instead of dropping its grant silently, then leads on to the tenant.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DEMO_TENANT, signedInPage, startAccessApp, type AccessApp } from "./helpers/access-app.ts";
import { hasChromium, launchChromium } from "./helpers/browser.ts";
import { serverSkipReason } from "./helpers/e2e-app.ts";

const UNIT = "E2E Soon Archived <Depot>";

describe.runIf(hasChromium() && !serverSkipReason())("accepting an invitation whose unit was archived meanwhile, in Chromium", () => {
  let app: AccessApp;
  let browser: Browser;
  let owner: Page;
  const suffix = Math.random().toString(36).slice(2, 8);
  const invitee = { email: `arch-${suffix}@e2e.test`, password: "archived-unit-password-1" };
  let inviteUrl: string;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startAccessApp({ unitName: UNIT }), launchChromium()]);
    owner = await signedInPage(browser, app, app.owner);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("should invite at the unit with the link shown, then archive the unit", async () => {
    await owner.goto(`/t/${DEMO_TENANT}/pending`);
    await owner.getByTestId("invite-form").waitFor({ state: "visible" });
    await owner.locator("#inv-email").fill(invitee.email);
    await owner.locator("#inv-role").selectOption("worker");
    await owner.locator("#inv-unit").selectOption(String(app.depot.id));
    await owner.getByLabel("Send the invitation email").uncheck();
    await owner.getByTestId("invite-submit").click();
    inviteUrl = await owner.getByTestId("invite-url").inputValue();
    expect(inviteUrl).toContain("/invite/");

    await owner.goto(`/t/${DEMO_TENANT}/units`);
    const row = owner.getByTestId("unit-row").filter({ hasText: UNIT });
    await row.getByRole("button", { name: "Archive" }).click();
    await owner.getByRole("dialog", { name: `Archive ${UNIT}?` }).getByRole("button", { name: "Archive unit" }).click();
    await row.getByText("archived").waitFor({ state: "visible" });
  });

  it("should accept, then name the archived unit on the landing page and lead on to the tenant", async () => {
    const context = await browser.newContext({ baseURL: app.server.baseUrl, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(inviteUrl);
    const signup = page.getByTestId("invite-signup");
    await signup.waitFor({ state: "visible" });
    await signup.getByLabel(/^Password/).fill(invitee.password);
    // One step: the account, the session and the acceptance.
    await Promise.all([
      page.waitForURL((u) => u.pathname === "/invite" && u.searchParams.get("done") === "accepted"),
      signup.getByRole("button", { name: "Create account and join" }).click(),
    ]);
    expect(await page.getByTestId("invite-result").innerText()).toContain("You joined");
    // The unit's name is shown as text (it holds angle brackets on purpose).
    expect((await page.getByTestId("invite-skipped-units").innerText()).trim()).toBe(UNIT);
    await Promise.all([page.waitForURL((u) => u.pathname === `/t/${DEMO_TENANT}`), page.getByTestId("invite-continue").click()]);
    await context.close();
  });
});
