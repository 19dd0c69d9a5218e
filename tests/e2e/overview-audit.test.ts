/**
 * Overview and audit log in Chromium (issue 11, items 10 and 11) at 1440×900 and 375×812: the overview shows the
 * counts and the recent events in words (a worker sees neither), and the audit page filters by an actor chosen by
 * email from the suggestions and by an inclusive date range, keeping both in the URL and refusing a reversed range
 * under its field.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { hasChromium, launchChromium } from "./helpers/browser.ts";
import { serverSkipReason } from "./helpers/e2e-app.ts";
import { DEMO_TENANT, TENANT_PATH, startAccessApp, type AccessApp, type Credentials } from "./helpers/access-app.ts";
import { signInOverHttp, trpcMutation } from "./helpers/http-session.ts";

const runBrowser = hasChromium();
const skipReason = serverSkipReason();
const VIEWPORTS = [[1440, 900], [375, 812]] as const;
const invitee = `overview-${Date.now().toString(36)}@e2e.test`;
const today = () => new Date().toISOString().slice(0, 10);
const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

describe.runIf(runBrowser && !skipReason)("overview and audit log in Chromium", () => {
  let app: AccessApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startAccessApp(), launchChromium()]);
    // An event by a person: the owner invites someone (the demo seed's own events are the system's).
    const session = await signInOverHttp(app.server.baseUrl, app.owner);
    const r = await trpcMutation(app.server.baseUrl, "invitations.create", { tenant: DEMO_TENANT, email: invitee, roles: ["worker"], sendEmail: false }, { cookie: session.cookie });
    expect(r.error).toBeNull();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signedIn(who: Credentials, width: number, height: number): Promise<Page> {
    const context = await browser.newContext({ baseURL: app.server.baseUrl, viewport: { width, height } });
    const page = await context.newPage();
    await page.goto("/signin");
    await page.getByLabel("Email").fill(who.email);
    await page.getByLabel("Password").fill(who.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(TENANT_PATH);
    return page;
  }

  for (const [width, height] of VIEWPORTS) {
    it(`should show the owner the counts as links and the recent events in words, at ${width} px`, async () => {
      const page = await signedIn(app.owner, width, height);
      const members = page.getByTestId("count-active-members");
      await members.waitFor({ state: "visible" });
      expect(Number(await members.locator("span").nth(1).textContent())).toBeGreaterThan(1);
      expect(await page.getByTestId("count-pending-invitations").getAttribute("href")).toBe(`/t/${DEMO_TENANT}/pending`);
      await expect.poll(() => page.getByTestId("count-units").isVisible()).toBe(true);
      const events = page.getByTestId("recent-event");
      expect(await events.count()).toBeLessThanOrEqual(10);
      const first = await events.first().textContent();
      expect(first).toContain(`invited ${invitee} as Worker`);
      expect(await page.getByTestId("recent-events").textContent()).not.toMatch(/membership #|user #/);
      await page.getByRole("link", { name: "Invite people" }).click();
      await page.waitForURL(/\/pending$/);
      await page.context().close();
    });

    it(`should show a worker no counts and no recent activity, at ${width} px`, async () => {
      const page = await signedIn(app.worker, width, height);
      await page.getByRole("heading", { level: 1 }).waitFor();
      expect(await page.locator('[data-testid^="count-"]').count()).toBe(0);
      expect(await page.getByTestId("recent-events").count()).toBe(0);
      expect(await page.getByText("Recent activity").count()).toBe(0);
      await page.context().close();
    });

    it(`should filter the audit log by an actor chosen by email and by a date range kept in the URL, at ${width} px`, async () => {
      const page = await signedIn(app.owner, width, height);
      await page.goto(`/t/${DEMO_TENANT}/audit`);
      const actor = page.getByLabel("Actor");
      await actor.fill(app.owner.email.slice(0, 6));
      const suggestion = page.locator(`#audit-actor-suggestions option[value="${app.owner.email}"]`);
      await suggestion.waitFor({ state: "attached" });
      await actor.fill(app.owner.email);
      await page.getByLabel("From (UTC)").fill(today());
      await page.getByLabel("To (UTC, inclusive)").fill(yesterday());
      await page.getByRole("button", { name: "Apply filters" }).click();
      const to = page.getByLabel("To (UTC, inclusive)");
      await expect.poll(() => to.getAttribute("aria-invalid")).toBe("true");
      expect(await page.getByText("The end date must be on or after the start date.").isVisible()).toBe(true);
      expect(new URL(page.url()).search).toBe("");

      await to.fill(today());
      await Promise.all([page.waitForURL(/\/audit\?/), page.getByRole("button", { name: "Apply filters" }).click()]);
      const url = new URL(page.url());
      expect(Object.fromEntries(url.searchParams)).toEqual({ actor: app.owner.email, from: today(), to: today() });
      const rows = page.getByTestId("audit-row");
      await rows.first().waitFor();
      const sentences = await page.getByTestId("audit-sentence").allTextContents();
      expect(sentences.some((s) => s.includes(`invited ${invitee} as Worker`))).toBe(true);
      expect(sentences.every((s) => !s.startsWith("System"))).toBe(true);
      // The IP has its own column on a wide screen; a phone shows it inside the row, so it is never lost.
      const ip = width >= 1024 ? rows.first().locator("td").nth(3) : rows.first().getByTestId("audit-ip-inline");
      expect(await ip.isVisible()).toBe(true);
      expect(await ip.innerText()).toMatch(/127\.0\.0\.1/);
      // Reloading the URL keeps the filters in the form.
      await page.reload();
      await expect.poll(() => page.getByLabel("Actor").inputValue()).toBe(app.owner.email);
      await expect.poll(() => page.getByLabel("From (UTC)").inputValue()).toBe(today());

      // A range that ended yesterday holds none of today's events.
      await page.goto(`/t/${DEMO_TENANT}/audit?actor=${encodeURIComponent(app.owner.email)}&from=${yesterday()}&to=${yesterday()}`);
      await page.getByText("No events match.").waitFor();
      await page.context().close();
    });
  }
});
