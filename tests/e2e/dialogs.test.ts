/**
 * Dialogs and confirmations in Chromium at 1440×900 and 375×812, as the demo tenant's owner: the access page's copy
 * dialog and the destructive confirmations (remove member, cancel invitation, bulk suspend) are real modal dialogs
 * (app/_components/ui over Radix): focus moves in and stays in on Tab and Shift+Tab, Escape and the close button
 * close them, focus returns to the button that opened them; cancelling changes nothing and confirming does the thing.
 * The copy dialog offers locations only. No native confirm() may appear anywhere on the way.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeOnlyIf } from "../helpers/only-if.ts";
import type { Browser, Locator, Page } from "playwright-core";
import { hasChromium, INSTALL_HINT, launchChromium, warnMissingChromium } from "./helpers/browser.ts";
import { serverSkipReason } from "./helpers/e2e-app.ts";
import { DEMO_TENANT, signedInPage, startAccessApp, type AccessApp, type Credentials } from "./helpers/access-app.ts";

const runBrowser = hasChromium();
const skipReason = serverSkipReason();
const TENANT_NAME = "Northwind Clinics";

if (!runBrowser && !process.env.CI) warnMissingChromium();
else if (skipReason) console.warn(`\n!! e2e dialog tests SKIPPED: ${skipReason}\n`);

describeOnlyIf(!runBrowser && !!process.env.CI)("Chromium", () => {
  it("should be installed on CI", () => {
    throw new Error(`/usr/bin/chromium is missing; install it with: ${INSTALL_HINT}`);
  });
});

/**
 * Each viewport works on members of its own (seed data, prisma/seed.ts), so the two runs do not see each other's
 * changes: whose access is copied (a member at one location), who is removed, and whom the bulk suspend suspends.
 */
const VIEWPORTS = [
  { label: "1440×900", width: 1440, height: 900, copy: { name: "Jo Berg", from: "Harbour Clinic" }, remove: { name: "Sam Okafor", email: "sam.manager@demo.test" } },
  { label: "375×812", width: 375, height: 812, copy: { name: "worker", from: "depot" }, remove: { name: "Maria Lopez", email: "maria.manager@demo.test" } },
] as const;

describe.runIf(runBrowser && !skipReason)("dialogs and confirmations in Chromium", () => {
  let app: AccessApp;
  let browser: Browser;
  const nativeDialogs: string[] = [];

  beforeAll(async () => {
    [app, browser] = await Promise.all([startAccessApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signedIn(who: Credentials, viewport: { width: number; height: number }): Promise<Page> {
    const page = await signedInPage(browser, app, who, viewport);
    page.on("dialog", (d) => void d.dismiss().then(() => nativeDialogs.push(`${d.type()}: ${d.message()}`)));
    return page;
  }

  const focusInDialog = (page: Page) => page.evaluate(() => document.activeElement?.closest("[role=dialog]") != null);
  /** A description of the focused element, to tell the stops of a Tab cycle apart. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? `${el.tagName}|${el.getAttribute("data-testid") ?? ""}|${el.getAttribute("aria-label") ?? ""}|${el.textContent?.trim() ?? ""}` : "none";
    });

  /** Opens `opener` from the keyboard, then proves focus is in the dialog and that Tab and Shift+Tab never leave it. */
  async function openAndCheckTrap(page: Page, opener: Locator, dialog: Locator): Promise<void> {
    await opener.focus();
    await page.keyboard.press("Enter");
    await dialog.waitFor({ state: "visible" });
    expect(await focusInDialog(page)).toBe(true);
    const stops = await dialog.locator("button:not([disabled]), input:not([disabled]), select:not([disabled]), a[href]").count();
    expect(stops).toBeGreaterThanOrEqual(2);
    const seen = new Set<string>();
    for (const key of ["Tab", "Shift+Tab"]) {
      // One full cycle and then some: focus wraps around instead of leaving the dialog.
      for (let i = 0; i < stops + 2; i++) {
        await page.keyboard.press(key);
        expect(await focusInDialog(page), `${key} #${i + 1} left the dialog`).toBe(true);
        seen.add(await focused(page));
      }
    }
    expect(seen.size).toBe(stops);
  }

  /** Closes with Escape, then again with the close button; focus returns to `opener` each time. */
  async function checkEscapeAndClose(page: Page, opener: Locator, dialog: Locator, openerId: string): Promise<void> {
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe(openerId);

    await opener.focus();
    await page.keyboard.press("Enter");
    await dialog.waitFor({ state: "visible" });
    await dialog.getByRole("button", { name: "Close", exact: true }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe(openerId);
  }

  /** Runs the copy dialog's dry run; a refusal fails with the dialog's own message rather than a timeout. */
  async function previewIn(dialog: Locator): Promise<void> {
    await dialog.getByTestId("dry-run").click();
    await dialog.locator('[data-testid="dry-run-results"], [role="alert"]').first().waitFor({ state: "visible" });
    expect(await dialog.getByRole("alert").allInnerTexts()).toEqual([]);
  }

  const columnHeaders = async (page: Page) =>
    (await page.getByTestId("access-matrix").locator("thead th").allInnerTexts()).slice(1).map((t) => t.split("\n")[0]!.trim());

  /** The membership id of the member whose name links from the members list. */
  async function membershipOf(page: Page, name: string): Promise<number> {
    await page.goto(`/t/${DEMO_TENANT}/members`);
    await page.getByRole("link", { name, exact: true }).click();
    await page.waitForURL(/\/members\/\d+$/);
    return Number(/\/members\/(\d+)$/.exec(page.url())![1]);
  }

  for (const vp of VIEWPORTS) {
    describe(`at ${vp.label}`, () => {
      let owner: Page;
      beforeAll(async () => {
        owner = await signedIn(app.owner, vp);
      });
      afterAll(async () => {
        await owner?.context().close();
      });

      /** The access page of the member this viewport copies (a member at the one location `from`). */
      async function openCopySubject(): Promise<string> {
        const membership = vp.copy.name === "worker" ? app.worker.membershipId : await membershipOf(owner, vp.copy.name);
        await owner.goto(`/t/${DEMO_TENANT}/members/${membership}/access`);
        await owner.getByTestId("access-matrix").waitFor({ state: "visible" });
        return vp.copy.from === "depot" ? app.depot.name : vp.copy.from;
      }

      it("should open the copy dialog with focus inside and trapped, close it on Escape and on Close with focus back on its button, and list only locations", async () => {
        const from = await openCopySubject();
        expect(await columnHeaders(owner)).toEqual([from]);

        const opener = owner.getByRole("button", { name: /^Copy/ });
        expect(await opener.getAttribute("data-testid")).toBe("open-copy");
        const dialog = owner.getByRole("dialog", { name: "Copy role and permissions to units" });
        await openAndCheckTrap(owner, opener, dialog);
        expect(await dialog.getAttribute("aria-modal")).toBe("true");

        // Locations only (the seed's Northwind Labs is a subsidiary, Patient App Relaunch a project), minus the source.
        const offered = (await dialog.getByTestId("batch-units").locator("label").allInnerTexts()).map((t) => t.trim()).sort();
        expect(offered).toEqual(["Downtown Clinic", "Harbour Clinic", app.depot.name].filter((u) => u !== from).sort());
        expect(await dialog.getByText("Northwind Labs").count()).toBe(0);
        expect(await dialog.getByText("Patient App Relaunch").count()).toBe(0);

        await checkEscapeAndClose(owner, opener, dialog, "open-copy");
      });

      it("should change nothing when the copy dialog is cancelled after a preview, and copy when confirmed", async () => {
        const from = await openCopySubject();
        const opener = owner.getByRole("button", { name: /^Copy/ });
        const dialog = owner.getByRole("dialog", { name: "Copy role and permissions to units" });

        await opener.click();
        await dialog.getByLabel("Downtown Clinic", { exact: true }).check();
        await previewIn(dialog);
        expect(await dialog.getByTestId("dry-run-results").innerText()).toBe("Downtown Clinic: no access → worker (added)");
        await dialog.getByRole("button", { name: "Cancel", exact: true }).click();
        await dialog.waitFor({ state: "hidden" });
        expect(await owner.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("open-copy");
        await owner.reload();
        await owner.getByTestId("access-matrix").waitFor({ state: "visible" });
        expect(await columnHeaders(owner)).toEqual([from]);

        // Reopened, the dialog starts clean: nothing picked, no stale preview to confirm.
        await opener.click();
        expect(await dialog.getByLabel("Downtown Clinic", { exact: true }).isChecked()).toBe(false);
        expect(await dialog.getByTestId("dry-run-results").count()).toBe(0);
        expect(await dialog.getByTestId("confirm-copy").isDisabled()).toBe(true);
        await dialog.getByLabel("Downtown Clinic", { exact: true }).check();
        await previewIn(dialog);
        await dialog.getByTestId("confirm-copy").click();
        await dialog.waitFor({ state: "hidden" });
        await expect.poll(() => owner.getByTestId("access-notice").innerText()).toBe("Copied to 1 unit(s).");
        await owner.reload();
        await owner.getByTestId("access-matrix").waitFor({ state: "visible" });
        expect((await columnHeaders(owner)).sort()).toEqual(["Downtown Clinic", from].sort());
      });

      it("should confirm removing a member in a dialog that names them and the tenant, keep them on Cancel, Escape and Close, and remove them on confirm", async () => {
        const membership = await membershipOf(owner, vp.remove.name);
        await owner.getByTestId("member-detail").waitFor({ state: "visible" });
        const opener = owner.getByRole("button", { name: /^Remove/ });
        expect(await opener.getAttribute("data-testid")).toBe("remove-member");
        const dialog = owner.getByRole("dialog", { name: `Remove ${vp.remove.name} (${vp.remove.email}) from ${TENANT_NAME}?` });

        await openAndCheckTrap(owner, opener, dialog);
        expect(await dialog.innerText()).toContain("They lose access to every unit");
        await checkEscapeAndClose(owner, opener, dialog, "remove-member");
        // Opened again from the keyboard, Cancel has focus first, so a second Enter can never remove anyone.
        await opener.focus();
        await owner.keyboard.press("Enter");
        await dialog.waitFor({ state: "visible" });
        expect(await owner.evaluate(() => document.activeElement?.textContent)).toBe("Cancel");
        await owner.keyboard.press("Enter");
        await dialog.waitFor({ state: "hidden" });
        expect(await owner.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("remove-member");

        await owner.reload();
        await owner.getByTestId("member-detail").waitFor({ state: "visible" });
        expect(await owner.getByTestId("member-status").innerText()).toBe("Active");

        await opener.click();
        await dialog.getByRole("button", { name: "Remove member", exact: true }).click();
        await owner.waitForURL(new RegExp(`/t/${DEMO_TENANT}/members$`));
        await owner.getByTestId("members-table").waitFor({ state: "visible" });
        await expect.poll(() => owner.getByTestId("member-row").filter({ hasText: vp.remove.email }).count()).toBe(0);
        // Gone for real: after a reload too, and their page no longer shows them.
        await owner.reload();
        await owner.getByTestId("members-table").waitFor({ state: "visible" });
        expect(await owner.getByTestId("member-row").filter({ hasText: vp.remove.email }).count()).toBe(0);
        await owner.goto(`/t/${DEMO_TENANT}/members/${membership}`);
        expect(await owner.getByTestId("member-detail").count()).toBe(0);
      });
    });
  }

  it("should cancel an invitation only after its confirmation, which names the address; 'Keep them' keeps it", async () => {
    const owner = await signedIn(app.owner, { width: 1440, height: 900 });
    await owner.goto(`/t/${DEMO_TENANT}/pending`);
    const row = () => owner.getByTestId("pending-invitation").filter({ hasText: "new.hire@demo.test" });
    expect(await row().count()).toBe(1);
    await owner.getByLabel("Select invitation for new.hire@demo.test", { exact: true }).check();
    const opener = owner.getByTestId("bulk-cancel");
    const dialog = owner.getByRole("dialog", { name: `Cancel 1 invitation to ${TENANT_NAME}?` });

    await openAndCheckTrap(owner, opener, dialog);
    expect(await dialog.innerText()).toContain("new.hire@demo.test");
    await dialog.getByRole("button", { name: "Keep them", exact: true }).click();
    await dialog.waitFor({ state: "hidden" });
    await owner.reload();
    expect(await row().count()).toBe(1);

    await owner.getByLabel("Select invitation for new.hire@demo.test", { exact: true }).check();
    await opener.click();
    await dialog.getByRole("button", { name: "Cancel invitations", exact: true }).click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(() => owner.getByTestId("pending-notice").innerText()).toBe("Cancel: 1 done.");
    await owner.reload();
    await owner.getByRole("heading", { name: /^Invitations/ }).waitFor({ state: "visible" });
    expect(await row().count()).toBe(0);
    await owner.context().close();
  });

  it("should bulk-suspend on a phone only after a confirmation that names each selected member", async () => {
    const owner = await signedIn(app.owner, { width: 375, height: 812 });
    await owner.goto(`/t/${DEMO_TENANT}/members`);
    const row = () => owner.getByTestId("member-row").filter({ hasText: "client@partner.test" });
    await owner.getByLabel("Select client@partner.test", { exact: true }).check();
    const opener = owner.getByTestId("bulk-suspend");
    const dialog = owner.getByRole("dialog", { name: `Suspend 1 member of ${TENANT_NAME}?` });

    await openAndCheckTrap(owner, opener, dialog);
    expect(await dialog.innerText()).toContain("Pat Client (client@partner.test) loses access");
    await owner.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await owner.reload();
    expect(await row().innerText()).toContain("Active");

    await owner.getByLabel("Select client@partner.test", { exact: true }).check();
    await opener.click();
    await dialog.getByRole("button", { name: "Suspend selected", exact: true }).click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(() => owner.getByTestId("members-notice").innerText()).toBe("Suspended 1 of 1.");
    await owner.reload();
    expect(await row().innerText()).toContain("Suspended");
    await owner.context().close();
  });

  it("should have shown no native confirm() or alert() on any of the pages above", () => {
    expect(nativeDialogs).toEqual([]);
  });
});
