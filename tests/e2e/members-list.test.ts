/**
 * The members list in Chromium (issue 11, item 8), at 1440×900 and 375×812, as the demo tenant's owner: search as
 * you type (debounced, kept in the URL, the focus and every typed character kept), filters kept in the URL, the
 * inline role change (saved, refused in words, absent for someone who may not change roles), an unnamed member's
 * email shown once, and the Name sort following the names as shown.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page, Request } from "playwright-core";
import { describeOnlyIf } from "../helpers/only-if.ts";
import { hasChromium, INSTALL_HINT, launchChromium, waitForHydration, warnMissingChromium } from "./helpers/browser.ts";
import { serverSkipReason } from "./helpers/e2e-app.ts";
import { DEMO_TENANT, signedInPage, startAccessApp, type AccessApp } from "./helpers/access-app.ts";

const runBrowser = hasChromium();
const skipReason = serverSkipReason();
const VIEWPORTS = [["desktop", { width: 1440, height: 900 }], ["phone", { width: 375, height: 812 }]] as const;
const MEMBERS = `/t/${DEMO_TENANT}/members`;

if (!runBrowser && !process.env.CI) warnMissingChromium();
else if (skipReason) console.warn(`\n!! e2e members list tests SKIPPED: ${skipReason}\n`);

describeOnlyIf(!runBrowser && !!process.env.CI)("Chromium", () => {
  it("should be installed on CI", () => {
    throw new Error(`/usr/bin/chromium is missing; install it with: ${INSTALL_HINT}`);
  });
});

/** The names the rows link to, in list order. */
const shownNames = (page: Page) => page.getByTestId("member-row").evaluateAll((rows) => rows.map((r) => r.querySelector("a")?.textContent ?? ""));

async function openList(page: Page, query = ""): Promise<void> {
  await page.goto(`${MEMBERS}${query}`);
  await page.getByTestId("members-table").waitFor({ state: "visible" });
  await waitForHydration(page, "members-search");
}

describe.runIf(runBrowser && !skipReason)("the members list in Chromium", () => {
  let app: AccessApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startAccessApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  for (const [name, viewport] of VIEWPORTS) {
    describe(`at ${viewport.width}×${viewport.height} (${name})`, () => {
      let owner: Page;
      beforeAll(async () => {
        owner = await signedInPage(browser, app, app.owner, viewport);
      });
      afterAll(async () => {
        await owner?.context().close();
      });

      it("should narrow the list as one types, once typing pauses, with the search in the URL and the focus and every character kept", async () => {
        await openList(owner);
        // The list's own navigations (not the prefetches of its links): the searches the page sent.
        const searches: string[] = [];
        const onRequest = (r: Request) => {
          const u = new URL(r.url());
          const h = r.headers();
          if (h.rsc === "1" && !h["next-router-prefetch"] && u.pathname === MEMBERS && !u.searchParams.has("sort")) searches.push(u.searchParams.get("q") ?? "");
        };
        owner.on("request", onRequest);
        const box = owner.getByTestId("members-search");
        await box.click();
        await owner.keyboard.type("jo.wor", { delay: 30 });
        await owner.waitForURL((u) => u.searchParams.get("q") === "jo.wor");
        await expect.poll(() => shownNames(owner)).toEqual(["Jo Berg"]);
        owner.off("request", onRequest);
        // Six keystrokes within the pause: fewer searches than keystrokes, the last one the whole word.
        expect(searches.length).toBeGreaterThan(0);
        expect(searches.length).toBeLessThan(6);
        expect(searches.at(-1)).toBe("jo.wor");
        // Typing on while the list updates: nothing lost, the box keeps the focus.
        await owner.keyboard.type("ker", { delay: 30 });
        await owner.waitForURL((u) => u.searchParams.get("q") === "jo.worker");
        expect(await box.inputValue()).toBe("jo.worker");
        expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
        expect(await owner.getByTestId("members-total").innerText()).toBe("Showing 1–1 of 1");

        await owner.reload();
        await waitForHydration(owner, "members-search");
        expect(await owner.getByTestId("members-search").inputValue()).toBe("jo.worker");
        expect(await shownNames(owner)).toEqual(["Jo Berg"]);
      });

      it("should narrow the list by a filter at once and keep the filter after a reload", async () => {
        await openList(owner);
        await owner.getByText("Filters", { exact: true }).click();
        await owner.locator('select[name="kind"]').selectOption("CLIENT");
        await owner.waitForURL((u) => u.searchParams.get("kind") === "CLIENT");
        await expect.poll(() => shownNames(owner)).toEqual(["Pat Client"]);
        await owner.locator('select[name="kind"]').selectOption("");
        await owner.locator('select[name="unit"]').selectOption({ label: `${app.depot.name} (location)` });
        await owner.waitForURL((u) => u.searchParams.get("unit") === String(app.depot.id) && !u.searchParams.has("kind"));
        await expect.poll(() => shownNames(owner)).toEqual([app.worker.email]);

        await owner.reload();
        await owner.getByTestId("members-table").waitFor({ state: "visible" });
        expect(await owner.locator('select[name="unit"]').inputValue()).toBe(String(app.depot.id));
        expect(await shownNames(owner)).toEqual([app.worker.email]);
        expect(await owner.getByText("Filters (1 active)").isVisible()).toBe(true);
      });

      it("should show a member without a name by their email, once in their row, beside a decorative initials avatar", async () => {
        await openList(owner, `?q=${encodeURIComponent(app.worker.email)}`);
        const row = owner.getByTestId("member-row").filter({ hasText: app.worker.email });
        const text = await row.innerText();
        expect(text.split(app.worker.email).length - 1).toBe(1);
        expect(await row.getByRole("link").first().innerText()).toBe(app.worker.email);
        const avatar = row.getByTestId("member-avatar");
        expect(await avatar.getAttribute("aria-hidden")).toBe("true");
        expect(await avatar.innerText()).toBe("W");
        // A named member's avatar shows their initials.
        await openList(owner, "?q=jo.worker");
        expect(await owner.getByTestId("member-avatar").innerText()).toBe("JB");
      });

      it("should sort by Name in the order of the names as shown, both ways", async () => {
        await openList(owner);
        const byShownName = (names: string[]) => [...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
        const asc = await shownNames(owner);
        expect(asc.length).toBeGreaterThan(5);
        expect(asc).toEqual(byShownName(asc));
        // Alex Chen before Jo Berg: by last name it would be the other way round.
        expect(asc.indexOf("Alex Chen")).toBeLessThan(asc.indexOf("Jo Berg"));
        await owner.getByRole("columnheader", { name: /Name/ }).getByRole("link").click();
        await owner.waitForURL((u) => u.searchParams.get("dir") === "desc");
        await expect.poll(() => shownNames(owner)).toEqual([...asc].reverse());
      });
    });
  }

  it("should save a role changed from the list, refuse a change in words beside the row, and offer none to someone who may not change roles", async () => {
    const owner = await signedInPage(browser, app, app.owner, { width: 1440, height: 900 });
    await openList(owner, `?q=${encodeURIComponent(app.worker.email)}`);
    const select = owner.getByRole("combobox", { name: `Role of ${app.worker.email}`, exact: true });
    expect(await select.inputValue()).toBe("worker");
    await select.selectOption("accountant");
    const row = owner.getByTestId("member-row").filter({ hasText: app.worker.email });
    await row.getByTestId("member-role-message").filter({ hasText: "Saved" }).waitFor({ state: "visible" });
    await owner.reload();
    await waitForHydration(owner, "members-search");
    expect(await owner.getByRole("combobox", { name: `Role of ${app.worker.email}`, exact: true }).inputValue()).toBe("accountant");

    // The last owner cannot demote themselves: the refusal is shown beside their row and their role stays.
    await openList(owner, `?q=${encodeURIComponent(app.owner.email)}`);
    const own = owner.getByTestId("member-row").filter({ hasText: app.owner.email });
    const ownSelect = own.getByRole("combobox", { name: /^Role of / });
    await ownSelect.selectOption("worker");
    const refusal = own.getByRole("alert");
    await refusal.waitFor({ state: "visible" });
    expect(await refusal.innerText()).toBe("This is the tenant's last owner. Make another member owner first.");
    expect(await ownSelect.inputValue()).toBe("owner");
    await owner.context().close();

    // Now an accountant: may read the list, may not change roles.
    for (const [, viewport] of VIEWPORTS) {
      const accountant = await signedInPage(browser, app, app.worker, viewport);
      await openList(accountant);
      expect(await accountant.getByTestId("member-row").count()).toBeGreaterThan(5);
      expect(await accountant.getByRole("combobox", { name: /^Role of / }).count()).toBe(0);
      const jo = accountant.getByTestId("member-row").filter({ hasText: "jo.worker@demo.test" });
      expect(await jo.getByTestId("member-roles").innerText()).toBe("Worker");
      await accountant.context().close();
    }
  });

  it("should save a role changed from the list on a phone", async () => {
    const owner = await signedInPage(browser, app, app.owner, { width: 375, height: 812 });
    await openList(owner, "?q=sam.manager");
    const select = owner.getByRole("combobox", { name: "Role of Sam Okafor", exact: true });
    await select.scrollIntoViewIfNeeded();
    await select.selectOption("accountant");
    await owner.getByTestId("member-role-message").filter({ hasText: "Saved" }).waitFor({ state: "visible" });
    await owner.reload();
    await waitForHydration(owner, "members-search");
    expect(await owner.getByRole("combobox", { name: "Role of Sam Okafor", exact: true }).inputValue()).toBe("accountant");
    await owner.context().close();
  });
});
