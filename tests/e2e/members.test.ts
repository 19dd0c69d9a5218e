/**
 * The members list and member detail pages in Chromium against the built server, as the owner of the demo tenant:
 * server-side search, the row link to the detail page (membership id), roles and last login; a worker is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeOnlyIf } from "../helpers/only-if.ts";
import type { Browser, Page } from "playwright-core";
import { hasChromium, INSTALL_HINT, launchChromium, warnMissingChromium } from "./helpers/browser.ts";
import { serverSkipReason } from "./helpers/e2e-app.ts";
import { DEMO_TENANT, openMemberFromList, signedInPage, startAccessApp, type AccessApp } from "./helpers/access-app.ts";

const runBrowser = hasChromium();
const skipReason = serverSkipReason();
const LOGIN_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/;

if (!runBrowser && !process.env.CI) warnMissingChromium();
else if (skipReason) console.warn(`\n!! e2e members tests SKIPPED: ${skipReason}\n`);

describeOnlyIf(!runBrowser && !!process.env.CI)("Chromium", () => {
  it("should be installed on CI", () => {
    throw new Error(`/usr/bin/chromium is missing; install it with: ${INSTALL_HINT}`);
  });
});

describe.runIf(runBrowser && !skipReason)("members pages in Chromium", () => {
  let app: AccessApp;
  let browser: Browser;
  let owner: Page;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startAccessApp(), launchChromium()]);
    owner = await signedInPage(browser, app, app.owner);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("should list every member of the demo tenant with a total", async () => {
    await owner.goto(`/t/${DEMO_TENANT}/members`);
    await owner.getByTestId("members-table").waitFor({ state: "visible" });
    // Owner, Maria, Sam, Alex, Jo, the client user and the e2e worker; the pending invitee is not a member yet.
    expect(await owner.getByTestId("member-row").count()).toBe(7);
    expect(await owner.getByTestId("members-total").innerText()).toBe("Showing 1–7 of 7");
  });

  it("should find Jo by a search on the server and keep the search in the URL", async () => {
    await owner.goto(`/t/${DEMO_TENANT}/members`);
    await owner.getByTestId("members-search").fill("Jo");
    await Promise.all([owner.waitForURL(/\/members\?q=Jo/), owner.getByTestId("members-search").press("Enter")]);
    const rows = owner.getByTestId("member-row");
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain("jo.worker@demo.test");
    expect(await rows.first().innerText()).toContain("worker");
    expect(await owner.getByTestId("members-total").innerText()).toBe("Showing 1–1 of 1");

    // By email and by a word nobody has.
    await owner.goto(`/t/${DEMO_TENANT}/members?q=accounts`);
    expect(await owner.getByTestId("member-row").allInnerTexts()).toEqual([expect.stringContaining("Alex Chen")]);
    await owner.goto(`/t/${DEMO_TENANT}/members?q=zzz-nobody`);
    expect(await owner.getByTestId("members-total").innerText()).toBe("No members");
  });

  it("should open Jo's detail page from the row link (membership id) with roles, units and last login", async () => {
    const id = await openMemberFromList(owner, "Jo", "Jo Berg");
    expect(owner.url()).toMatch(new RegExp(`/t/${DEMO_TENANT}/members/${id}$`));
    expect(await owner.getByRole("heading", { name: "Jo Berg" }).isVisible()).toBe(true);
    expect(await owner.getByTestId("member-status").innerText()).toBe("Active");
    // Jo has never signed in.
    expect(await owner.getByTestId("member-last-login").innerText()).toBe("Never");
    // The owner may change roles, so they are shown as the roles form with Worker ticked and nothing else.
    const form = owner.getByTestId("roles-form");
    await form.waitFor({ state: "visible" });
    expect(await form.getByLabel("Worker", { exact: true }).isChecked()).toBe(true);
    expect(await form.getByLabel("Administrator", { exact: true }).isChecked()).toBe(false);
    expect(await owner.getByTestId("full-access").isChecked()).toBe(false);
    const units = owner.locator("section[aria-labelledby=units-h] li");
    expect(await units.allInnerTexts()).toEqual([expect.stringMatching(/^Harbour Clinic\s+location\s+worker$/)]);
  });

  it("should show the owner's own last login as the time of this sign-in", async () => {
    await owner.goto(`/t/${DEMO_TENANT}/members?q=${encodeURIComponent(app.owner.email)}`);
    await owner.getByTestId("member-row").first().getByRole("link").click();
    await owner.waitForURL(/\/members\/\d+$/);
    const lastLogin = await owner.getByTestId("member-last-login").innerText();
    expect(lastLogin).toMatch(LOGIN_TIME);
    const at = Date.parse(lastLogin.replace(" UTC", "Z").replace(" ", "T"));
    expect(Math.abs(Date.now() - at)).toBeLessThan(10 * 60_000);
  });

  it("should save Jo's profile with visible success and show it after a reload", async () => {
    await openMemberFromList(owner, "Jo", "Jo Berg");
    const form = owner.getByTestId("profile-form");
    await form.getByLabel("Display name").fill("Jo B.");
    await form.getByRole("button", { name: "Save profile" }).click();
    await owner.getByTestId("profile-notice").waitFor({ state: "visible" });
    expect(await owner.getByTestId("profile-notice").innerText()).toBe("Profile saved.");
    await owner.reload();
    await owner.getByTestId("member-detail").waitFor({ state: "visible" });
    expect(await owner.getByRole("heading", { name: "Jo B." }).isVisible()).toBe(true);
    expect(await owner.getByTestId("profile-form").getByLabel("Display name").inputValue()).toBe("Jo B.");
  });

  it("should refuse the members list to a worker", async () => {
    const worker = await signedInPage(browser, app, app.worker);
    await worker.goto(`/t/${DEMO_TENANT}/members`);
    await worker.getByTestId("members-denied").waitFor({ state: "visible" });
    expect(await worker.getByTestId("members-denied").innerText()).toMatch(/denied|permission|not allowed/i);
    expect(await worker.getByTestId("members-table").count()).toBe(0);
    await worker.context().close();
  });
});
