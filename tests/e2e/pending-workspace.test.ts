/**
 * The pending workspace (issue 11, item 7) in Chromium against the built server, at 1440×900 and at 375×812: tabs for
 * invitations, client invitations and requests, each with its count, kept in the URL (`?tab=`) across clicks, reloads
 * and deep links; pasting three addresses (one new, one not an address, one already invited) answers per address and
 * the new invitation joins the list (its email reaches the local SMTP sink); a visitor signs up on the join page and
 * lands signed in on the request, waiting; the owner accepts it at two units picked through the unit search box.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { DEMO_TENANT, openMemberFromList, signedInPage } from "./helpers/access-app.ts";
import { hasChromium, launchChromium, waitForHydration } from "./helpers/browser.ts";
import { serverSkipReason } from "./helpers/e2e-app.ts";
import { INVITE_UNIT_NAME, startInviteApp, waitForMailTo, type InviteApp } from "./helpers/invite-app.ts";
import { setJoinPolicy } from "./helpers/join-app.ts";

const runBrowser = hasChromium();
const skipReason = serverSkipReason();
if (runBrowser && skipReason) console.warn(`\n!! e2e pending-workspace tests SKIPPED: ${skipReason}\n`);

const VIEWPORTS = [{ width: 1440, height: 900 }, { width: 375, height: 812 }] as const;
/** The demo seed's pending member invitation (prisma/seed.ts). */
const SEEDED_INVITEE = "new.hire@demo.test";
const TABS = ["invitations", "clients", "requests"] as const;

/** Fills the join page's sign-up form (in a signed-out page) and submits it; returns the form. */
async function signUpOnJoinPage(page: Page, who: { firstName: string; lastName: string; email: string; password: string; message?: string }) {
  await page.goto(`/join/${DEMO_TENANT}`);
  const form = page.getByTestId("join-form");
  await form.waitFor({ state: "visible" });
  await waitForHydration(page, "join-form");
  await form.getByLabel("First name").fill(who.firstName);
  await form.getByLabel("Last name").fill(who.lastName);
  await form.getByLabel("Email").fill(who.email);
  await form.getByLabel("Password").fill(who.password);
  if (who.message) await form.getByLabel(/Message to the admins/).fill(who.message);
  await form.getByRole("button", { name: "Sign up and ask to join" }).click();
  return form;
}

describe.runIf(runBrowser && !skipReason)("the pending workspace, in Chromium", () => {
  let app: InviteApp;
  let browser: Browser;
  const suffix = Math.random().toString(36).slice(2, 8);

  beforeAll(async () => {
    [app, browser] = await Promise.all([startInviteApp(), launchChromium()]);
    const owner = await signedInPage(browser, app, app.owner);
    await setJoinPolicy(owner, "REQUEST");
    await owner.context().close();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const tab = (p: Page, key: (typeof TABS)[number]) => p.getByTestId(`pending-tab-${key}`);
  async function countOf(p: Page, key: (typeof TABS)[number]): Promise<number> {
    const text = await tab(p, key).getByTestId("pending-tab-count").textContent();
    return Number(/^\d+/.exec(text ?? "")?.[0]);
  }
  async function currentTab(p: Page): Promise<string[]> {
    const current: string[] = [];
    for (const key of TABS) if ((await tab(p, key).getAttribute("aria-current")) === "true") current.push(key);
    return current;
  }

  for (const viewport of VIEWPORTS) {
    describe(`at ${viewport.width}×${viewport.height}`, () => {
      let owner: Page;
      const visitor = { email: `visitor-${viewport.width}-${suffix}@e2e.test`, firstName: "Vi", lastName: `Sitor${viewport.width}`, password: "visitor-password-12" };

      beforeAll(async () => {
        owner = await signedInPage(browser, app, app.owner, viewport);
      });
      afterAll(async () => {
        await owner?.context().close();
      });

      it("should show each tab with its count and keep the chosen tab in the URL across clicks, reloads and deep links", async () => {
        await owner.goto(`/t/${DEMO_TENANT}/pending`);
        expect(await owner.getByRole("navigation", { name: "Pending" }).isVisible()).toBe(true);
        expect(await currentTab(owner)).toEqual(["invitations"]);
        // The count on a tab is the number of rows its panel lists.
        expect(await countOf(owner, "invitations")).toBe(await owner.getByTestId("pending-invitation").count());
        expect(await countOf(owner, "invitations")).toBeGreaterThan(0);

        // A selection stays with its tab: nothing ticked here can be cancelled, unseen, from the next tab.
        await waitForHydration(owner, "pending-invites");
        await owner.getByTestId("pending-invitation").first().getByRole("checkbox").check();
        expect(await owner.getByTestId("bulk-cancel").isEnabled()).toBe(true);

        await Promise.all([owner.waitForURL(/\?tab=clients$/), tab(owner, "clients").click()]);
        await expect.poll(() => currentTab(owner)).toEqual(["clients"]);
        expect(await owner.getByTestId("bulk-cancel").isDisabled()).toBe(true);
        expect(await owner.getByTestId("pending-panel").getAttribute("data-tab")).toBe("clients");
        expect(await countOf(owner, "clients")).toBe(await owner.getByTestId("pending-invitation").count());

        await Promise.all([owner.waitForURL(/\?tab=requests$/), tab(owner, "requests").click()]);
        await owner.locator('section[aria-label="Join requests"]').waitFor({ state: "visible" });
        expect(await currentTab(owner)).toEqual(["requests"]);
        expect(await countOf(owner, "requests")).toBe(await owner.getByTestId("pending-request").count());
        expect(await owner.getByTestId("invite-form").count()).toBe(0);

        await owner.reload();
        await owner.locator('section[aria-label="Join requests"]').waitFor({ state: "visible" });
        expect(await currentTab(owner)).toEqual(["requests"]);

        await owner.goto(`/t/${DEMO_TENANT}/pending?tab=clients`);
        expect(await currentTab(owner)).toEqual(["clients"]);
        // An unknown tab falls back to the first one.
        await owner.goto(`/t/${DEMO_TENANT}/pending?tab=nope`);
        expect(await currentTab(owner)).toEqual(["invitations"]);
        // No sideways scrolling of the page on a phone.
        expect(await owner.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      });

      it("should answer a paste of three addresses per address and add the new invitation to the list", async () => {
        const fresh = `pasted-${viewport.width}-${suffix}@e2e.test`;
        await owner.goto(`/t/${DEMO_TENANT}/pending?tab=invitations`);
        const before = await countOf(owner, "invitations");
        const form = owner.getByTestId("invite-emails-form");
        await form.waitFor({ state: "visible" });
        await waitForHydration(owner, "invite-emails-form");
        await form.getByLabel("Email addresses").fill(`${fresh}\nnot an email; ${SEEDED_INVITEE.toUpperCase()}`);
        await form.getByRole("button", { name: "Invite all" }).click();

        const results = owner.getByTestId("invite-emails-results");
        await results.waitFor({ state: "visible" });
        expect(await results.getAttribute("role")).toBe("status");
        await expect.poll(() => owner.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("invite-emails-results");
        const rows = results.getByTestId("invite-emails-result");
        expect(await rows.evaluateAll((els) => els.map((e) => [e.textContent, e.getAttribute("data-outcome")]))).toEqual([
          [`${fresh}: invited, the email is on its way`, "invited"],
          ["not an email: not a valid email address, nothing sent", "invalid"],
          [`${SEEDED_INVITEE}: already has a pending invitation; resend it from the list below`, "already_invited"],
        ]);
        expect(await results.innerText()).toContain("1 person invited, 1 already invited, 1 address not valid.");
        // The form is empty for the next list; the table and the tab's count grew by one.
        expect(await form.getByLabel("Email addresses").inputValue()).toBe("");
        await expect.poll(() => owner.getByTestId("pending-invitation").filter({ hasText: fresh }).count(), { timeout: 15_000 }).toBe(1);
        await expect.poll(() => countOf(owner, "invitations"), { timeout: 15_000 }).toBe(before + 1);
        const mail = await waitForMailTo(app.sink, fresh);
        expect(mail.subject ?? "").toContain("Northwind Clinics");
      });

      it("should let a visitor sign up on the join page and land signed in on the request, pending", async () => {
        const context = await browser.newContext({ baseURL: app.server.baseUrl, viewport });
        try {
          const page = await context.newPage();
          await signUpOnJoinPage(page, { ...visitor, message: `Hello from ${viewport.width}` });
          const waiting = page.locator('[data-testid="join-result"][role="status"]');
          await waiting.waitFor({ state: "visible" });
          expect(await waiting.innerText()).toContain("Your request is waiting for an admin");
          expect(await page.getByTestId("join-form").count()).toBe(0);
          // Still waiting after a reload: the person is signed in, and the request is theirs.
          await page.reload();
          await page.locator('[data-testid="join-result"][role="status"]').waitFor({ state: "visible" });
          expect(await page.getByTestId("join-sign-in").count()).toBe(0);
        } finally {
          await context.close();
        }
      });

      it("should answer a sign-up with an address that already has an account neutrally, without signing anyone in", async () => {
        const existing = viewport.width > 500 ? app.owner.email : app.worker.email;
        const context = await browser.newContext({ baseURL: app.server.baseUrl, viewport });
        try {
          const page = await context.newPage();
          const form = await signUpOnJoinPage(page, { firstName: "Not", lastName: "Theowner", email: existing, password: "someone-elses-password-1" });
          const done = page.locator('[data-testid="join-result"][role="status"]');
          await done.waitFor({ state: "visible" });
          expect(await done.innerText()).toContain("If this email address is new to Roster");
          expect(await done.getByRole("link", { name: "Sign in" }).count()).toBe(1);
          await page.reload();
          await page.getByTestId("join-sign-in").waitFor({ state: "visible" });
        } finally {
          await context.close();
        }
      });

      it("should accept the request at two units picked through the unit search box", async () => {
        await owner.goto(`/t/${DEMO_TENANT}/pending?tab=requests`);
        const before = await countOf(owner, "requests");
        expect(before).toBeGreaterThanOrEqual(1);
        const row = owner.getByTestId("pending-request").filter({ hasText: visitor.email });
        expect(await row.count()).toBe(1);
        await waitForHydration(owner, "accept-units");
        await row.getByRole("checkbox", { name: `Select request from ${visitor.email}` }).check();

        const picker = owner.getByTestId("accept-units");
        const search = picker.getByRole("searchbox", { name: "Find a unit" });
        await search.fill("harb");
        expect(await picker.getByRole("checkbox").count()).toBe(1);
        await picker.getByRole("checkbox", { name: /^Harbour Clinic/ }).check();
        await search.fill("depot");
        // The chosen unit stays chosen while the filter hides it.
        expect(await picker.getByRole("checkbox", { name: /^Harbour Clinic/ }).count()).toBe(0);
        await picker.getByRole("checkbox", { name: new RegExp(`^${INVITE_UNIT_NAME}`) }).check();
        expect(await owner.getByTestId("accept-units-count").innerText()).toBe("2 chosen");
        await search.fill("no such unit");
        expect(await picker.innerText()).toContain("No unit matches “no such unit”.");
        await search.fill("");
        expect(await picker.getByRole("checkbox", { checked: true }).count()).toBe(2);

        await owner.getByTestId("bulk-accept").click();
        const notice = owner.getByTestId("pending-notice");
        await notice.waitFor({ state: "visible" });
        expect((await notice.innerText()).trim()).toBe("Accept: 1 done.");
        await expect.poll(() => countOf(owner, "requests")).toBe(before - 1);
        expect(await owner.getByTestId("pending-request").filter({ hasText: visitor.email }).count()).toBe(0);

        await openMemberFromList(owner, visitor.email, `${visitor.firstName} ${visitor.lastName}`);
        const units = await owner.locator('section[aria-labelledby="units-h"] li').allInnerTexts();
        expect(units).toHaveLength(2);
        expect(units.join("\n")).toContain("Harbour Clinic");
        expect(units.join("\n")).toContain(INVITE_UNIT_NAME);
      });
    });
  }
});
