/**
 * Tables on phones in Chromium (issue 11, item 3), as the demo tenant's owner. At 375×812 every column of the
 * members, pending invitations, tokens and a unit's people tables can be brought into view: its header and the value
 * of a known row, unclipped by the card around it, by scrolling the table's own region (a focusable, named region
 * that says "Scroll … for more columns"), while the page itself never scrolls sideways. At 1440×900 the same
 * tables show every column at once, in one header row, with no scrolling and no hint.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { describeOnlyIf } from "../helpers/only-if.ts";
import { hasChromium, INSTALL_HINT, launchChromium, warnMissingChromium } from "./helpers/browser.ts";
import { serverSkipReason } from "./helpers/e2e-app.ts";
import { DEMO_TENANT, TENANT_PATH, startAccessApp, type AccessApp } from "./helpers/access-app.ts";

const runBrowser = hasChromium();
const skipReason = serverSkipReason();
const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1440, height: 900 };

if (!runBrowser && !process.env.CI) warnMissingChromium();
else if (skipReason) console.warn(`\n!! e2e phone table tests SKIPPED: ${skipReason}\n`);

describeOnlyIf(!runBrowser && !!process.env.CI)("Chromium", () => {
  it("should be installed on CI", () => {
    throw new Error(`/usr/bin/chromium is missing; install it with: ${INSTALL_HINT}`);
  });
});

/**
 * Scrolls `target` into view (its table region first, then the page) and asserts that the whole of it is then on
 * screen: inside the viewport, inside every ancestor that clips, and not covered at its centre by anything else.
 */
async function expectReachable(target: Locator, what: string): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  expect(await target.isVisible(), `${what} is visible`).toBe(true);
  const problem = await target.evaluate((el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return "has no size";
    if (r.left < -1 || r.right > window.innerWidth + 1) return `lies outside the viewport (${Math.round(r.left)}..${Math.round(r.right)})`;
    for (let a = el.parentElement; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX === "visible" && s.overflowY === "visible") continue;
      const c = a.getBoundingClientRect();
      if (r.left < c.left - 1 || r.right > c.right + 1) return `is clipped by ${a.tagName.toLowerCase()}.${a.className}`;
    }
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit && (el === hit || el.contains(hit) || hit.contains(el)) ? null : `is covered by ${hit?.tagName.toLowerCase()}.${hit?.className}`;
  });
  expect(problem, what).toBeNull();
}

/** The header cells and the cells of `row` in `table`, each reachable on screen, with non-empty header text. */
async function expectEveryColumnReachable(table: Locator, row: Locator, name: string): Promise<string[]> {
  const headers = table.locator("thead th");
  const cells = row.locator("td");
  const n = await headers.count();
  expect(await cells.count(), `${name}: one cell per column`).toBe(n);
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const label = (await headers.nth(i).innerText()).trim() || (await headers.nth(i).textContent())!.trim();
    labels.push(label);
    // A header that is only a checkbox or a screen-reader label still has to be on screen for its column.
    await expectReachable(headers.nth(i), `${name}: header ${i} "${label}"`);
    await expectReachable(cells.nth(i), `${name}: value under "${label}"`);
  }
  return labels;
}

/** The scroll region around `table`: focusable, named, and (when the table overflows) announcing the hint. */
async function regionOf(table: Locator): Promise<Locator> {
  const region = table.locator("xpath=ancestor::*[@role='region'][1]");
  expect(await region.getAttribute("tabindex")).toBe("0");
  expect(await region.getAttribute("aria-label")).toMatch(/\S/);
  return region;
}

const pageFitsViewport = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe.runIf(runBrowser && !skipReason)("tables on phones in Chromium", () => {
  let app: AccessApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startAccessApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signedIn(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ baseURL: app.server.baseUrl, viewport });
    const page = await context.newPage();
    await page.goto("/signin");
    await page.getByLabel("Email").fill(app.owner.email);
    await page.getByLabel("Password").fill(app.owner.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(TENANT_PATH);
    return page;
  }

  /** Creates a token through the form, so the tokens table has a known row. */
  async function createToken(page: Page, name: string): Promise<Locator> {
    await page.goto(`/t/${DEMO_TENANT}/tokens`);
    await page.getByTestId("token-name").fill(name);
    await page.getByTestId("create-token").click();
    await page.getByTestId("new-token-value").waitFor({ state: "visible" });
    const row = page.getByTestId("token-row").filter({ hasText: name });
    await row.waitFor({ state: "visible" });
    return row;
  }

  it("should let every members column of a known row be scrolled into view at 375 px, with a hint and no page overflow", async () => {
    const page = await signedIn(PHONE);
    await page.goto(`/t/${DEMO_TENANT}/members`);
    const table = page.getByTestId("members-table");
    const row = table.getByTestId("member-row").filter({ hasText: "jo.worker@demo.test" });
    const region = await regionOf(table);
    const hint = page.getByTestId("scroll-hint");
    await hint.waitFor({ state: "visible" });
    expect(await hint.innerText()).toContain("Scroll right for more columns");
    expect(await region.getAttribute("aria-describedby")).toBe(await hint.getAttribute("id"));
    expect(await pageFitsViewport(page)).toBe(true);

    const labels = await expectEveryColumnReachable(table, row, "members");
    expect(labels.map((l) => l.replace(/[▲▼]/g, "").trim().toLowerCase())).toEqual(
      ["", "name", "email", "roles", "status", "last login", "joined"]);
    // Scrolled to the last column, the hint points back and the page still does not scroll sideways.
    await expect.poll(() => hint.innerText()).toContain("Scroll left for the first columns");
    expect(await pageFitsViewport(page)).toBe(true);
    for (const text of ["Jo Berg", "jo.worker@demo.test", "Active", "Never"]) {
      await expectReachable(row.getByText(text, { exact: true }).first(), `members: "${text}"`);
    }
    // The owner may change Jo's role: the roles cell is a select named after Jo.
    await expectReachable(row.getByRole("combobox", { name: "Role of Jo Berg", exact: true }), "members: role select");
    await page.context().close();
  });

  it("should scroll the members table with the arrow keys once its region has focus", async () => {
    const page = await signedIn(PHONE);
    await page.goto(`/t/${DEMO_TENANT}/members`);
    const region = await regionOf(page.getByTestId("members-table"));
    await page.getByTestId("scroll-hint").waitFor({ state: "visible" });
    await region.focus();
    expect(await region.evaluate((el) => el === document.activeElement && el.scrollLeft === 0)).toBe(true);
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    await page.context().close();
  });

  it("should keep the selection checkboxes and bulk actions of a scrolled members table working at 375 px", async () => {
    const page = await signedIn(PHONE);
    await page.goto(`/t/${DEMO_TENANT}/members`);
    const box = page.getByRole("checkbox", { name: "Select jo.worker@demo.test" });
    await expectReachable(box, "row checkbox");
    await box.check();
    expect(await page.getByTestId("bulk-suspend").isEnabled()).toBe(true);
    await box.uncheck();
    expect(await page.getByTestId("bulk-suspend").isDisabled()).toBe(true);
    await page.context().close();
  });

  it("should let every pending invitation column of the seeded invitation be scrolled into view at 375 px", async () => {
    const page = await signedIn(PHONE);
    await page.goto(`/t/${DEMO_TENANT}/pending`);
    const table = page.getByTestId("pending-invites");
    const row = table.getByTestId("pending-invitation").filter({ hasText: "new.hire@demo.test" });
    await regionOf(table);
    await table.locator("xpath=ancestor::*[@role='region'][1]/../..").getByTestId("scroll-hint").waitFor({ state: "visible" });
    expect(await pageFitsViewport(page)).toBe(true);
    const labels = await expectEveryColumnReachable(table, row, "pending");
    expect(labels.map((l) => l.toLowerCase())).toEqual(["select", "recipient", "roles", "status", "age", "expires", "sent", "delivery"]);
    await expectReachable(row.getByRole("checkbox", { name: "Select invitation for new.hire@demo.test" }), "pending: checkbox");
    expect(await pageFitsViewport(page)).toBe(true);
    await page.context().close();
  });

  it("should let every tokens column of a new token be scrolled into view at 375 px", async () => {
    const page = await signedIn(PHONE);
    const row = await createToken(page, "Phone token");
    const table = page.getByTestId("tokens-table");
    await regionOf(table);
    expect(await pageFitsViewport(page)).toBe(true);
    const labels = await expectEveryColumnReachable(table, row, "tokens");
    expect(labels.map((l) => l.toLowerCase())).toEqual(["token", "scopes", "created", "last used", "status", "actions"]);
    for (const text of ["Phone token", "Never", "Expires"]) await expectReachable(row.getByText(text).first(), `tokens: "${text}"`);
    await expectReachable(row.getByRole("button", { name: "Revoke Phone token" }), "tokens: Revoke");
    expect(await pageFitsViewport(page)).toBe(true);
    await page.context().close();
  });

  it("should show every unit's details and let its people table be scrolled into view at 375 px", async () => {
    const page = await signedIn(PHONE);
    await page.goto(`/t/${DEMO_TENANT}/units`);
    const unit = page.getByTestId("unit-row").filter({ hasText: "Harbour Clinic" });
    await expectReachable(unit.getByText("Harbour Clinic", { exact: true }), "unit name");
    await expectReachable(unit.getByText(/location · #\d+ · \d+ with access/), "unit kind, id and people");
    for (const name of ["Users", "Rename", "Archive"]) await expectReachable(unit.getByRole("button", { name, exact: true }), `unit: ${name}`);
    expect(await pageFitsViewport(page)).toBe(true);

    await unit.getByRole("button", { name: "Users", exact: true }).click();
    const table = unit.getByTestId("unit-users");
    const row = table.locator("tbody tr").filter({ hasText: "jo.worker@demo.test" });
    await row.waitFor({ state: "visible" });
    const region = await regionOf(table);
    expect(await region.getAttribute("aria-label")).toBe("People with access to Harbour Clinic");
    const labels = await expectEveryColumnReachable(table, row, "unit users");
    expect(labels.map((l) => l.toLowerCase())).toEqual(["name", "email", "role", "status"]);
    expect(await pageFitsViewport(page)).toBe(true);
    await page.context().close();
  });

  it("should show every column of the members, pending, tokens and unit people tables in one row at 1440 px, without scrolling", async () => {
    const page = await signedIn(DESKTOP);
    await createToken(page, "Desk token");
    const tables: [string, () => Promise<Locator>][] = [
      ["members", async () => { await page.goto(`/t/${DEMO_TENANT}/members`); return page.getByTestId("members-table"); }],
      ["pending", async () => { await page.goto(`/t/${DEMO_TENANT}/pending`); return page.getByTestId("pending-invites"); }],
      ["tokens", async () => { await page.goto(`/t/${DEMO_TENANT}/tokens`); return page.getByTestId("tokens-table"); }],
      ["unit users", async () => {
        await page.goto(`/t/${DEMO_TENANT}/units`);
        const unit = page.getByTestId("unit-row").filter({ hasText: "Harbour Clinic" });
        await unit.getByRole("button", { name: "Users", exact: true }).click();
        const t = unit.getByTestId("unit-users");
        await t.locator("tbody tr").first().waitFor({ state: "visible" });
        return t;
      }],
    ];
    for (const [name, open] of tables) {
      const table = await open();
      const region = await regionOf(table);
      expect(await region.evaluate((el) => el.scrollWidth <= el.clientWidth), `${name}: no sideways scrolling`).toBe(true);
      expect(await page.getByTestId("scroll-hint").count(), `${name}: no hint`).toBe(0);
      const boxes = await table.locator("thead th").evaluateAll((ths) => ths.map((th) => th.getBoundingClientRect()).map((r) => ({ top: r.top, left: r.left, right: r.right })));
      expect(boxes.length, name).toBeGreaterThan(3);
      expect(new Set(boxes.map((b) => Math.round(b.top))).size, `${name}: headers in one row`).toBe(1);
      for (const b of boxes) expect(b.left >= 0 && b.right <= DESKTOP.width, `${name}: header inside the viewport`).toBe(true);
      const cells = await table.locator("tbody tr").first().locator("td").evaluateAll((tds) => tds.map((td) => td.getBoundingClientRect().right));
      for (const right of cells) expect(right <= DESKTOP.width, `${name}: cell inside the viewport`).toBe(true);
      expect(await pageFitsViewport(page), name).toBe(true);
    }
    await page.context().close();
  });
});
