/**
 * The member access page (/t/:tenant/members/:membershipId/access) in Chromium against the built server, as the
 * owner of the demo tenant: change permission values in the unit × permission matrix, copy a member to two locations
 * with the dry run shown first, follow a unit's user list to the access page, and what a worker is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeOnlyIf } from "../helpers/only-if.ts";
import type { Browser, Locator, Page } from "playwright-core";
import { hasChromium, INSTALL_HINT, launchChromium, warnMissingChromium } from "./helpers/browser.ts";
import { serverSkipReason } from "./helpers/e2e-app.ts";
import { DEMO_TENANT, isTrpcCall, openMemberFromList, signedInPage, startAccessApp, type AccessApp } from "./helpers/access-app.ts";

const runBrowser = hasChromium();
const skipReason = serverSkipReason();

if (!runBrowser && !process.env.CI) warnMissingChromium();
else if (skipReason) console.warn(`\n!! e2e access tests SKIPPED: ${skipReason}\n`);

describeOnlyIf(!runBrowser && !!process.env.CI)("Chromium", () => {
  it("should be installed on CI", () => {
    throw new Error(`/usr/bin/chromium is missing; install it with: ${INSTALL_HINT}`);
  });
});

describe.runIf(runBrowser && !skipReason)("member access page in Chromium", () => {
  let app: AccessApp;
  let browser: Browser;
  let owner: Page;
  /** Jo Berg (worker at Harbour Clinic in the demo seed): the membership id the member routes use. */
  let joMembership: number;
  let accessPath: string;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startAccessApp(), launchChromium()]);
    owner = await signedInPage(browser, app, app.owner);
    joMembership = await openMemberFromList(owner, "Jo", "Jo Berg");
    accessPath = `/t/${DEMO_TENANT}/members/${joMembership}/access`;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const matrix = (page: Page) => page.getByTestId("access-matrix");
  /** The matrix cell holding `control` (its title attribute is "source: <source>"). */
  const cellOf = (page: Page, control: Locator) => matrix(page).locator("td").filter({ has: control });
  const columnHeaders = async (page: Page) =>
    (await matrix(page).locator("thead th").allInnerTexts()).slice(1).map((t) => t.split("\n")[0]!.trim());

  async function openAccess(page: Page): Promise<void> {
    await page.goto(accessPath);
    await matrix(page).waitFor({ state: "visible" });
  }

  /** Runs `action` and waits for the access.update call it makes; returns its HTTP status. */
  async function saving(page: Page, action: () => Promise<void>): Promise<number> {
    const [res] = await Promise.all([page.waitForResponse((r) => isTrpcCall(r.url(), "access.update") && r.request().method() === "POST"), action()]);
    return res.status();
  }

  it("should open Jo's access page from the member detail page, naming Jo in the heading, and show only Harbour Clinic", async () => {
    await owner.goto(`/t/${DEMO_TENANT}/members/${joMembership}`);
    await owner.getByTestId("member-access-link").click();
    await owner.waitForURL(new RegExp(`/members/${joMembership}/access$`));
    await matrix(owner).waitFor({ state: "visible" });
    expect(await owner.getByRole("heading", { level: 1 }).innerText()).toBe("Jo Berg: units & permissions");
    expect(await owner.locator("main").innerText()).toContain("jo.worker@demo.test");
    expect(await columnHeaders(owner)).toEqual(["Harbour Clinic"]);
    expect(await matrix(owner).locator("thead th").nth(1).innerText()).toContain("worker");
    // Role defaults: a worker sees the timetable but not billing.
    expect(await owner.getByLabel("Timetable at Harbour Clinic", { exact: true }).isChecked()).toBe(true);
    expect(await owner.getByLabel("Billing at Harbour Clinic", { exact: true }).isChecked()).toBe(false);
  });

  it("should collect edits without saving any, and undo them all", async () => {
    await openAccess(owner);
    let updates = 0;
    const count = (r: { url(): string }) => { if (isTrpcCall(r.url(), "access.update")) updates++; };
    owner.on("request", count);
    const billing = owner.getByLabel("Billing at Harbour Clinic", { exact: true });
    await billing.check();
    await owner.getByLabel("Days of history at Harbour Clinic", { exact: true }).fill("45");
    expect(await owner.getByTestId("unsaved-bar").innerText()).toContain("2 unsaved changes");
    expect(await cellOf(owner, billing).getAttribute("data-changed")).toBe("true");
    // Ticking back to the saved value is no change.
    await billing.uncheck();
    expect(await owner.getByTestId("unsaved-bar").innerText()).toContain("1 unsaved change");
    await billing.check();

    await owner.getByTestId("undo-changes").click();
    expect(await owner.getByTestId("unsaved-bar").count()).toBe(0);
    expect(await billing.isChecked()).toBe(false);
    expect(await owner.getByLabel("Days of history at Harbour Clinic", { exact: true }).inputValue()).not.toBe("45");
    owner.off("request", count);
    expect(updates).toBe(0);
    await owner.reload();
    await matrix(owner).waitFor({ state: "visible" });
    expect(await owner.getByLabel("Billing at Harbour Clinic", { exact: true }).isChecked()).toBe(false);
  });

  it("should save Billing on and Days of history 30 together after showing the diff, as overrides after a reload", async () => {
    await openAccess(owner);
    const billing = owner.getByLabel("Billing at Harbour Clinic", { exact: true });
    expect(await cellOf(owner, billing).getAttribute("title")).not.toBe("source: override");
    await billing.check();
    await owner.getByLabel("Days of history at Harbour Clinic", { exact: true }).fill("30");

    await owner.getByTestId("save-changes").click();
    const dialog = owner.getByTestId("save-dialog");
    await dialog.waitFor({ state: "visible" });
    expect(await dialog.getByRole("heading").first().innerText()).toBe("Save changes to Jo Berg's access");
    const lines = await dialog.getByTestId("save-diff").locator("li").allInnerTexts();
    expect(lines).toHaveLength(2);
    expect(lines).toContain("Harbour Clinic: Billing: no → yes");
    expect(lines).toContainEqual(expect.stringMatching(/^Harbour Clinic: Days of history: .+ → 30 days$/));

    // One request for the unit, with both values.
    expect(await saving(owner, () => dialog.getByTestId("confirm-save").click())).toBe(200);
    await owner.getByTestId("access-notice").waitFor({ state: "visible" });
    expect(await owner.getByTestId("access-notice").innerText()).toBe("Saved 2 change(s).");
    expect(await owner.getByTestId("access-notice").getAttribute("role")).toBe("status");
    expect(await owner.getByTestId("unsaved-bar").count()).toBe(0);

    await owner.reload();
    await matrix(owner).waitFor({ state: "visible" });
    const after = owner.getByLabel("Billing at Harbour Clinic", { exact: true });
    expect(await after.isChecked()).toBe(true);
    expect(await cellOf(owner, after).getAttribute("title")).toBe("source: override");
    expect(await cellOf(owner, after).innerText()).toContain("override");
    const days = owner.getByLabel("Days of history at Harbour Clinic", { exact: true });
    expect(await days.inputValue()).toBe("30");
    expect(await cellOf(owner, days).getAttribute("title")).toBe("source: override");
  });

  it("should show a clear error for a value of the wrong type, keep the change on screen and save nothing", async () => {
    await openAccess(owner);
    const days = owner.getByLabel("Days of history at Harbour Clinic", { exact: true });
    await days.fill("lots");
    await owner.getByTestId("save-changes").click();
    expect(await saving(owner, () => owner.getByTestId("confirm-save").click())).not.toBe(200);
    await owner.getByTestId("access-notice").waitFor({ state: "visible" });
    expect(await owner.getByTestId("access-notice").getAttribute("role")).toBe("alert");
    expect(await owner.getByTestId("access-notice").innerText()).toMatch(/^not saved: Harbour Clinic: .+/);
    expect(await owner.getByTestId("unsaved-bar").innerText()).toContain("1 unsaved change");

    await owner.reload();
    await matrix(owner).waitFor({ state: "visible" });
    expect(await owner.getByLabel("Days of history at Harbour Clinic", { exact: true }).inputValue()).toBe("30");
  });

  it("should copy Jo to Downtown Clinic and the depot: dry run first, nothing written until confirmed", async () => {
    await openAccess(owner);
    await owner.getByTestId("open-copy").click();
    const dialog = owner.getByTestId("copy-dialog");
    await dialog.waitFor({ state: "visible" });
    expect(await dialog.getByRole("combobox").locator("option:checked").innerText()).toBe("Harbour Clinic");
    // The source unit is not offered as a target.
    expect(await dialog.getByLabel("Harbour Clinic", { exact: true }).count()).toBe(0);

    await dialog.getByLabel("Downtown Clinic", { exact: true }).check();
    await dialog.getByLabel(app.depot.name, { exact: true }).check();
    // Confirm stays off until the dry run was shown.
    expect(await owner.getByTestId("confirm-copy").isDisabled()).toBe(true);

    const [dry] = await Promise.all([
      owner.waitForResponse((r) => isTrpcCall(r.url(), "access.copyToUnits")),
      owner.getByTestId("dry-run").click(),
    ]);
    expect(dry.status()).toBe(200);
    const results = owner.getByTestId("dry-run-results");
    await results.waitFor({ state: "visible" });
    // The preview reads like the save diff: where, now → after, and what the copy does there.
    expect((await results.locator("li").allInnerTexts()).sort()).toEqual([
      "Downtown Clinic: no access → worker (added)",
      `${app.depot.name}: no access → worker (added)`,
    ]);
    expect(await owner.getByTestId("confirm-copy").isEnabled()).toBe(true);

    // Nothing changed yet: a second tab still sees Jo at Harbour Clinic only.
    const second = await owner.context().newPage();
    await second.goto(accessPath);
    await matrix(second).waitFor({ state: "visible" });
    expect(await columnHeaders(second)).toEqual(["Harbour Clinic"]);
    await second.close();
    // And the dialog still shows the preview, not a result.
    expect(await owner.getByTestId("access-notice").count()).toBe(0);

    const [done] = await Promise.all([
      owner.waitForResponse((r) => isTrpcCall(r.url(), "access.copyToUnits")),
      owner.getByTestId("confirm-copy").click(),
    ]);
    expect(done.status()).toBe(200);
    await owner.getByTestId("access-notice").waitFor({ state: "visible" });
    expect(await owner.getByTestId("access-notice").innerText()).toBe("Copied to 2 unit(s).");
    expect(await owner.getByTestId("copy-dialog").count()).toBe(0);

    // The refreshed matrix, and again after a reload: Jo is a worker at all three, with Harbour's values copied.
    for (const reload of [false, true]) {
      if (reload) await owner.reload();
      await owner.getByLabel("Billing at Downtown Clinic", { exact: true }).waitFor({ state: "visible" });
      expect((await columnHeaders(owner)).sort()).toEqual(["Downtown Clinic", app.depot.name, "Harbour Clinic"]);
      for (const unit of ["Downtown Clinic", app.depot.name]) {
        const header = matrix(owner).locator("thead th").filter({ hasText: unit });
        expect(await header.innerText()).toContain("worker");
        expect(await header.innerText()).not.toContain("invited");
        const billing = owner.getByLabel(`Billing at ${unit}`, { exact: true });
        expect(await billing.isChecked()).toBe(true);
        expect(await cellOf(owner, billing).getAttribute("title")).toBe("source: override");
        expect(await owner.getByLabel(`Days of history at ${unit}`, { exact: true }).inputValue()).toBe("30");
      }
    }
  });

  it("should list Jo as an accepted worker in Downtown Clinic's users on the units page", async () => {
    await owner.goto(`/t/${DEMO_TENANT}/units`);
    const row = owner.getByTestId("unit-row").filter({ hasText: "Downtown Clinic" });
    await row.getByRole("button", { name: "Users" }).click();
    const users = row.getByTestId("unit-users");
    await users.waitFor({ state: "visible" });
    const jo = users.locator("tr").filter({ hasText: "jo.worker@demo.test" });
    expect(await jo.count()).toBe(1);
    const cells = await jo.locator("td").allInnerTexts();
    expect(cells[0]).toBe("Jo Berg");
    expect(cells[2]).toBe("worker");
    expect(cells[3]).toBe("accepted");
  });

  it("should take the owner from a unit's user list to that member's access page", async () => {
    // The worker's user id and membership id differ (the seed's pending invitee has a user but no membership), so
    // this catches a link built from the wrong id.
    expect(app.worker.userId).not.toBe(app.worker.membershipId);
    await owner.goto(`/t/${DEMO_TENANT}/units`);
    const row = owner.getByTestId("unit-row").filter({ hasText: app.depot.name });
    await row.getByRole("button", { name: "Users" }).click();
    await row.getByTestId("unit-users").waitFor({ state: "visible" });
    await row.getByTestId("unit-users").getByRole("link", { name: app.worker.email }).click();
    await owner.waitForURL(/\/members\/\d+\/access$/);
    expect(owner.url()).toMatch(new RegExp(`/members/${app.worker.membershipId}/access$`));
    await matrix(owner).waitFor({ state: "visible" });
    expect(await columnHeaders(owner)).toEqual([app.depot.name]);
  });

  it("should refuse Jo's access page to a worker and change nothing", async () => {
    const worker = await signedInPage(browser, app, app.worker);
    await worker.goto(accessPath);
    // Next's route announcer is also role=alert (STACK.md §9): take the page's own alert paragraph.
    const alert = worker.locator("main p[role=alert], section p[role=alert]").first();
    await alert.waitFor({ state: "visible" });
    expect(await alert.innerText()).toMatch(/denied|permission|not allowed/i);
    expect(await worker.getByTestId("access-matrix").count()).toBe(0);
    expect(await worker.getByTestId("open-copy").count()).toBe(0);
    await worker.context().close();

    // The owner still sees Jo's values unchanged.
    await openAccess(owner);
    expect(await owner.getByLabel("Billing at Harbour Clinic", { exact: true }).isChecked()).toBe(true);
  });

  it("should collect an edit and save it through the diff dialog on a phone, naming Jo in the heading", async () => {
    const phone = await signedInPage(browser, app, app.owner, { width: 375, height: 812 });
    await phone.goto(accessPath);
    await matrix(phone).waitFor({ state: "visible" });
    expect(await phone.getByRole("heading", { level: 1 }).innerText()).toBe("Jo Berg: units & permissions");
    const timetable = phone.getByLabel("Timetable at Harbour Clinic", { exact: true });
    await timetable.scrollIntoViewIfNeeded();
    await timetable.uncheck();
    expect(await phone.getByTestId("unsaved-bar").innerText()).toContain("1 unsaved change");
    await phone.getByTestId("save-changes").click();
    const dialog = phone.getByTestId("save-dialog");
    await dialog.waitFor({ state: "visible" });
    expect(await dialog.getByTestId("save-diff").locator("li").allInnerTexts()).toEqual(["Harbour Clinic: Timetable: yes → no"]);
    // The dialog fits the phone: no part of it is off screen.
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(375);
    expect(await saving(phone, () => dialog.getByTestId("confirm-save").click())).toBe(200);
    await expect.poll(() => phone.getByTestId("access-notice").innerText()).toBe("Saved 1 change(s).");
    await phone.reload();
    await matrix(phone).waitFor({ state: "visible" });
    expect(await phone.getByLabel("Timetable at Harbour Clinic", { exact: true }).isChecked()).toBe(false);
    await phone.context().close();
  });
});

