/**
 * Contrast and axe (issue 11, item 13): axe-core finds no violation of any impact on any page of the app, at
 * 1440×900 and at 375×812, signed out where the page is for visitors and as the demo tenant's owner elsewhere, and in
 * the states people meet (a form after a failed submit, an open dialog, the phone menu).
 *
 * The pages come from the file system: every app/**\/page.tsx (and the not-found/error files) must have a case in
 * CASES, so a new page without one fails here rather than going unchecked.
 *
 * axe is injected with page.evaluate (DevTools evaluation, which the CSP does not govern) instead of a script tag:
 * the CSP would block an inline tag, and bypassing the CSP for the test would hide what it is there to catch. The CSP
 * watch of helpers/browser.ts stays on, so the injection itself is proven to cause no violation.
 *
 * One database is enough for a browser-only sweep: vitest.config.ts keeps this file out of e2e-postgres.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AxeResults } from "axe-core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { describeOnlyIf } from "../helpers/only-if.ts";
import { hasChromium, INSTALL_HINT, launchChromium, warnMissingChromium } from "./helpers/browser.ts";
import { serverSkipReason } from "./helpers/e2e-app.ts";
import { DEMO_TENANT, signedInPage, startAccessApp, type AccessApp } from "./helpers/access-app.ts";
import { ROOT } from "./helpers/app-server.ts";
import { setJoinPolicy } from "./helpers/join-app.ts";

const runBrowser = hasChromium();
const skipReason = serverSkipReason();
const T = DEMO_TENANT;
const VIEWPORTS = [
  { label: "1440×900", width: 1440, height: 900, phone: false },
  { label: "375×812", width: 375, height: 812, phone: true },
] as const;

if (!runBrowser && !process.env.CI) warnMissingChromium();
else if (skipReason) console.warn(`\n!! e2e axe sweep SKIPPED: ${skipReason}\n`);

describeOnlyIf(!runBrowser && !!process.env.CI)("Chromium", () => {
  it("should be installed on CI", () => {
    throw new Error(`/usr/bin/chromium is missing; install it with: ${INSTALL_HINT}`);
  });
});

/** What the sweep learns while setting up: addresses that need data made first. */
type Fixture = { memberId: number; inviteUrl: string; resetUrl: string };
type Case = {
  state: string;
  as: "visitor" | "owner";
  url: (f: Fixture) => string;
  /** Brings the page into the state to check, after it loaded. */
  then?: (page: Page) => Promise<void>;
  /** Only at this width (e.g. the phone menu, which does not exist on a wide screen). */
  phoneOnly?: boolean;
};

const submitEmpty = (button: string, errorTestId: string) => async (page: Page) => {
  await page.getByRole("button", { name: button }).click();
  await page.getByTestId(errorTestId).waitFor({ state: "visible" });
};

/** Keyed by the file's path under app/; the route groups stay in, so the key finds the file. */
const CASES: Record<string, Case[]> = {
  "page.tsx": [{ state: "the home address (sends the owner to the tenant)", as: "owner", url: () => "/" }],
  "not-found.tsx": [
    { state: "an unknown address, signed out", as: "visitor", url: () => "/no-such-page" },
    { state: "an unknown member, inside the tenant", as: "owner", url: () => `/t/${T}/members/999999` },
  ],
  "(auth)/signin/page.tsx": [
    { state: "the form", as: "visitor", url: () => "/signin" },
    { state: "the form after an empty submit", as: "visitor", url: () => "/signin", then: submitEmpty("Sign in", "signin-error") },
  ],
  "(auth)/forgot-password/page.tsx": [
    { state: "the form after an empty submit", as: "visitor", url: () => "/forgot-password", then: async (page) => {
      await page.getByRole("button", { name: "Send reset link" }).click();
      await page.locator('input[name="email"][aria-invalid="true"]').waitFor();
    } },
    // An address with no account: the same answer, and no mail that would replace the owner's reset link.
    { state: "after asking for a link", as: "visitor", url: () => "/forgot-password", then: async (page) => {
      await page.locator('input[name="email"]').fill("nobody@e2e.test");
      await page.getByRole("button", { name: "Send reset link" }).click();
      await page.getByTestId("forgot-password-done").waitFor();
    } },
  ],
  "(auth)/reset-password/page.tsx": [
    { state: "an invalid link", as: "visitor", url: () => "/reset-password?token=rs_pr_not-a-real-token" },
    { state: "a valid link after a too-short password", as: "visitor", url: (f) => f.resetUrl, then: async (page) => {
      await page.locator('input[name="password"]').fill("short");
      await page.getByRole("button", { name: "Set new password" }).click();
      await page.locator('input[name="password"][aria-invalid="true"]').waitFor();
    } },
  ],
  "(auth)/verify-email/page.tsx": [
    { state: "after confirming an unknown link", as: "visitor", url: () => `/verify-email?token=rs_ve_${"A".repeat(43)}`, then: async (page) => {
      await page.getByTestId("verify-email-confirm").click();
      await page.getByTestId("verify-email-state").waitFor();
    } },
  ],
  "account/page.tsx": [{ state: "the owner's account", as: "owner", url: () => "/account" }],
  "account/two-factor/page.tsx": [{ state: "two-factor set-up", as: "owner", url: () => "/account/two-factor" }],
  "dev/outbox/page.tsx": [{ state: "the outbox with mail in it", as: "owner", url: () => "/dev/outbox" }],
  "invite/page.tsx": [
    { state: "a valid invitation, signed out (create the account)", as: "visitor", url: (f) => f.inviteUrl },
    { state: "a link that leads nowhere", as: "visitor", url: () => "/invite?done=accepted&invitation=0" },
  ],
  "join/[tenant]/page.tsx": [
    { state: "an open tenant, signed out (sign up)", as: "visitor", url: () => `/join/${T}` },
    { state: "a tenant that takes no requests", as: "visitor", url: () => "/join/no-such-tenant" },
  ],
  "(admin)/t/[tenant]/page.tsx": [
    { state: "Overview", as: "owner", url: () => `/t/${T}` },
    { state: "Overview with the phone menu open", as: "owner", url: () => `/t/${T}`, phoneOnly: true, then: async (page) => {
      await page.getByTestId("nav-menu-button").click();
      await page.getByRole("link", { name: "Settings" }).waitFor();
    } },
  ],
  "(admin)/t/[tenant]/members/page.tsx": [{ state: "the members list", as: "owner", url: () => `/t/${T}/members` }],
  "(admin)/t/[tenant]/members/[id]/page.tsx": [{ state: "a member", as: "owner", url: (f) => `/t/${T}/members/${f.memberId}` }],
  "(admin)/t/[tenant]/members/[id]/access/page.tsx": [
    { state: "a member's access", as: "owner", url: (f) => `/t/${T}/members/${f.memberId}/access` },
    { state: "a member's access with the copy dialog open", as: "owner", url: (f) => `/t/${T}/members/${f.memberId}/access`, then: async (page) => {
      await page.getByRole("button", { name: /^Copy/ }).click();
      await page.getByRole("dialog").waitFor();
    } },
  ],
  "(admin)/t/[tenant]/pending/page.tsx": [{ state: "the pending inbox", as: "owner", url: () => `/t/${T}/pending` }],
  "(admin)/t/[tenant]/roles/page.tsx": [{ state: "roles", as: "owner", url: () => `/t/${T}/roles` }],
  "(admin)/t/[tenant]/units/page.tsx": [
    { state: "units with a unit's people open", as: "owner", url: () => `/t/${T}/units`, then: async (page) => {
      const unit = page.getByTestId("unit-row").filter({ hasText: "Harbour Clinic" });
      await unit.getByRole("button", { name: "Users", exact: true }).click();
      await unit.getByTestId("unit-users").locator("tbody tr").first().waitFor();
    } },
  ],
  "(admin)/t/[tenant]/tokens/page.tsx": [
    { state: "tokens with a new token shown once", as: "owner", url: () => `/t/${T}/tokens`, then: async (page) => {
      await page.getByTestId("token-name").fill("Axe token");
      await page.getByTestId("create-token").click();
      await page.getByTestId("new-token-value").waitFor();
    } },
  ],
  "(admin)/t/[tenant]/audit/page.tsx": [{ state: "the audit log", as: "owner", url: () => `/t/${T}/audit` }],
  "(admin)/t/[tenant]/settings/page.tsx": [{ state: "settings", as: "owner", url: () => `/t/${T}/settings` }],
};

/** Files under app/ that render a page someone can land on: page.tsx and Next's special UI files. */
const PAGE_FILE = /(^|\/)(page|not-found|error|global-error|forbidden|unauthorized)\.(tsx|jsx|ts|js)$/;

function pageFiles(): string[] {
  const app = path.join(ROOT, "app");
  return fs.readdirSync(app, { recursive: true, encoding: "utf8" })
    .map((f) => f.split(path.sep).join("/"))
    .filter((f) => PAGE_FILE.test(f))
    .sort();
}

describe("the axe sweep's list of pages", () => {
  it("should have a case for every page file under app/ and no case for a file that is gone", () => {
    const files = pageFiles();
    expect(files.length).toBeGreaterThan(15);
    expect(files.filter((f) => !(f in CASES)), "page files with no case in tests/e2e/axe.test.ts CASES").toEqual([]);
    expect(Object.keys(CASES).filter((k) => !files.includes(k)), "cases for files that do not exist").toEqual([]);
  });
});

const AXE_SOURCE = fs.readFileSync(path.join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");

type Finding = { id: string; impact: string; help: string; nodes: { target: string; summary: string }[] };

/** Runs axe over the whole document as it is now; injects axe first when this document does not have it yet. */
async function axeFindings(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<AxeResults> } }).axe;
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? "unknown",
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(" "), summary: (n.failureSummary ?? "").replace(/\s+/g, " ").trim() })),
    }));
  });
}

/** One line per failing element, so a failure names the rule, its impact, the element and what to fix. */
const describeFindings = (findings: Finding[], where: string) =>
  findings.flatMap((v) => v.nodes.map((n) => `[${v.impact}] ${v.id} (${v.help}) on ${where}: ${n.target} :: ${n.summary}`));

/** Waits until React has hydrated the page's main landmark, so client-rendered parts are in the DOM axe sees. */
async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const main = document.querySelector("main");
    return !!main && Object.keys(main).some((k) => k.startsWith("__react"));
  });
}

describe.runIf(runBrowser && !skipReason)("axe on every page in Chromium", () => {
  let app: AccessApp;
  let browser: Browser;
  const fixture: Fixture = { memberId: 0, inviteUrl: "", resetUrl: "" };

  beforeAll(async () => {
    [app, browser] = await Promise.all([startAccessApp(), launchChromium()]);
    fixture.memberId = app.worker.membershipId;
    const owner = await signedInPage(browser, app, app.owner, { width: 1440, height: 900 });
    // The join page shows its sign-up form only while the tenant takes requests.
    await setJoinPolicy(owner, "REQUEST");
    // An invitation with no email sent answers with its link once; a reset link only ever goes by mail (the dev outbox).
    const invited = await owner.evaluate(async (tenant) => {
      const res = await fetch("/api/trpc/invitations.create?batch=1", {
        method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ 0: { json: { tenant, email: "axe.invitee@e2e.test", sendEmail: false } } }),
      });
      return (await res.json()) as [{ result?: { data: { json: { inviteUrl: string | null } } } }];
    }, T);
    fixture.inviteUrl = invited[0].result?.data.json.inviteUrl ?? "";
    expect(fixture.inviteUrl, JSON.stringify(invited)).toMatch(/\/invite\//);
    const asked = await owner.evaluate(async (email) => {
      const res = await fetch("/api/trpc/account.requestPasswordReset?batch=1", {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ 0: { json: { email } } }),
      });
      return res.status;
    }, app.owner.email);
    expect(asked).toBe(200);
    for (const deadline = Date.now() + 45_000; !fixture.resetUrl && Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) {
      const html = await (await owner.request.get("/dev/outbox")).text();
      fixture.resetUrl = /\/reset-password\?token=rs_pr_[A-Za-z0-9_-]+/.exec(html)?.[0] ?? "";
    }
    expect(fixture.resetUrl, "a reset link in the dev outbox").not.toBe("");
    await owner.context().close();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("should report a contrast failure and an unlabelled field put into a live page", async () => {
    const context = await browser.newContext({ baseURL: app.server.baseUrl, viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto("/signin");
    await settle(page);
    expect(await axeFindings(page)).toEqual([]);
    await page.evaluate(() => {
      const main = document.querySelector("main")!;
      main.insertAdjacentHTML("beforeend", '<p id="axe-probe-grey" style="color:#94a3b8;background:#fff">Faint hint</p><input id="axe-probe-input">');
    });
    const lines = describeFindings(await axeFindings(page), "/signin");
    expect(lines.some((l) => l.startsWith("[serious] color-contrast") && l.includes("#axe-probe-grey")), lines.join("\n")).toBe(true);
    expect(lines.some((l) => l.includes("] label ") && l.includes("#axe-probe-input")), lines.join("\n")).toBe(true);
    await context.close();
  });

  for (const vp of VIEWPORTS) {
    describe(`at ${vp.label}`, () => {
      const contexts: Partial<Record<Case["as"], { context: BrowserContext; page: Page }>> = {};

      beforeAll(async () => {
        const owner = await signedInPage(browser, app, app.owner, { width: vp.width, height: vp.height });
        contexts.owner = { context: owner.context(), page: owner };
        const context = await browser.newContext({ baseURL: app.server.baseUrl, viewport: { width: vp.width, height: vp.height } });
        contexts.visitor = { context, page: await context.newPage() };
      });
      afterAll(async () => {
        for (const c of Object.values(contexts)) await c?.context.close();
      });

      for (const [file, cases] of Object.entries(CASES)) {
        for (const c of cases) {
          if (c.phoneOnly && !vp.phone) continue;
          it(`should show no axe violation on ${c.state} (app/${file}) as ${c.as === "owner" ? "the owner" : "a visitor"}`, async () => {
            const page = contexts[c.as]!.page;
            const url = c.url(fixture);
            await page.goto(url);
            await settle(page);
            await c.then?.(page);
            expect(describeFindings(await axeFindings(page), `${url} at ${vp.label}`)).toEqual([]);
          });
        }
      }
    });
  }
});
