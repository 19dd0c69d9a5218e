/**
 * Join requests in Chromium against the built server (issue 5, capability 5): with the join policy CLOSED (the
 * default) /join/northwind and an unknown slug show the same neutral page with no form; the owner opens sign-up on
 * the settings page → a visitor in a fresh browser signs up on /join/northwind with a message (the request is filed
 * with the account) and is signed in straight onto the request, waiting → the owner gets the "new request" email at the local SMTP sink →
 * on the pending page the owner ticks the request, picks Worker and one unit and accepts → the requester gets the
 * decision email and, back on the join page, opens the tenant shell → the owner sees the new member as worker at
 * that unit. The tests run in order and share the state they build.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { describeOnlyIf } from "../helpers/only-if.ts";
import { DEMO_TENANT, openMemberFromList, signedInPage } from "./helpers/access-app.ts";
import { hasChromium, INSTALL_HINT, launchChromium, warnMissingChromium } from "./helpers/browser.ts";
import { serverSkipReason } from "./helpers/e2e-app.ts";
import { DEMO_TENANT_NAME, INVITE_UNIT_NAME, recipients, startInviteApp, waitForMailTo, type InviteApp } from "./helpers/invite-app.ts";
import { expectJoinClosed, linkIn, setJoinPolicy } from "./helpers/join-app.ts";

const runBrowser = hasChromium();
const skipReason = serverSkipReason();

if (!runBrowser && !process.env.CI) warnMissingChromium();
else if (skipReason) console.warn(`\n!! e2e join-request tests SKIPPED: ${skipReason}\n`);

describeOnlyIf(!runBrowser && !!process.env.CI)("Chromium", () => {
  it("should be installed on CI", () => {
    throw new Error(`/usr/bin/chromium is missing; install it with: ${INSTALL_HINT}`);
  });
});

describe.runIf(runBrowser && !skipReason)("join request from the join page to a member at work, in Chromium", () => {
  let app: InviteApp;
  let browser: Browser;
  let owner: Page;
  const contexts: BrowserContext[] = [];
  const suffix = Math.random().toString(36).slice(2, 8);
  const requester = { email: `jo-${suffix}@e2e.test`, firstName: "Jo", lastName: "Joiner", password: "jo-joiner-password-1" };
  const message = `Hello from the e2e test ${suffix}, I work at the depot.`;
  let requesterPage: Page;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startInviteApp(), launchChromium()]);
    owner = await signedInPage(browser, app, app.owner);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A new browser context: no cookies, no session, like a visitor on another machine. */
  async function freshPage(): Promise<Page> {
    const context = await browser.newContext({ baseURL: app.server.baseUrl, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context.newPage();
  }

  /** The join-request rows on the pending page (reloaded) that mention `email`. */
  async function pendingRequestRows(email: string) {
    await owner.goto(`/t/${DEMO_TENANT}/pending?tab=requests`);
    await owner.locator('section[aria-label="Join requests"]').waitFor({ state: "visible" });
    return owner.getByTestId("pending-request").filter({ hasText: email });
  }

  it("should show the neutral closed page and no form while the join policy is CLOSED", async () => {
    await setJoinPolicy(owner, "CLOSED");
    const visitor = await freshPage();
    const res = await visitor.goto(`/join/${DEMO_TENANT}`);
    expect(res?.status()).toBe(200);
    await expectJoinClosed(visitor);
    expect(await visitor.locator("body").innerText()).not.toContain(DEMO_TENANT_NAME);
    // A signed-in person (the worker, already a member elsewhere) gets the same page: nothing to ask with.
    const worker = await signedInPage(browser, app, app.worker);
    contexts.push(worker.context());
    await worker.goto(`/join/${DEMO_TENANT}`);
    await expectJoinClosed(worker);
  });

  it("should show the same neutral page for an unknown tenant slug", async () => {
    const visitor = await freshPage();
    const res = await visitor.goto(`/join/no-such-tenant-${suffix}`);
    expect(res?.status()).toBe(200);
    await expectJoinClosed(visitor);
    const closedText = await visitor.locator("main").innerText();
    await visitor.goto(`/join/${DEMO_TENANT}`);
    // Word for word the same page as the real, closed tenant: the slug's existence does not leak.
    expect(await visitor.locator("main").innerText()).toBe(closedText);
  });

  it("should let the owner take requests \"On request\" on the settings page with a visible success", async () => {
    await setJoinPolicy(owner, "REQUEST");
    expect(await owner.getByTestId("settings-form").innerText()).toContain(`${app.server.baseUrl}/join/${DEMO_TENANT}`);
  });

  it("should let a visitor sign up on /join/northwind with a message and land signed in on the request, waiting", async () => {
    requesterPage = await freshPage();
    const res = await requesterPage.goto(`/join/${DEMO_TENANT}`);
    expect(res?.status()).toBe(200);
    expect(await requesterPage.getByTestId("join-tenant-name").innerText()).toBe(DEMO_TENANT_NAME);
    expect(await requesterPage.getByTestId("join-closed").count()).toBe(0);
    await requesterPage.getByTestId("join-sign-in").waitFor({ state: "visible" });
    const form = requesterPage.getByTestId("join-form");
    await form.waitFor({ state: "visible" });

    // A short password is refused in the page before anything is sent.
    await form.getByLabel("First name").fill(requester.firstName);
    await form.getByLabel("Last name").fill(requester.lastName);
    await form.getByLabel("Email").fill(requester.email);
    await form.getByLabel("Password").fill("short");
    await form.getByLabel(/Message to the admins/).fill(message);
    await form.getByRole("button", { name: "Sign up and ask to join" }).click();
    const refusal = form.getByTestId("join-result");
    await refusal.waitFor({ state: "visible" });
    expect(await refusal.innerText()).toContain("at least 12 characters");

    await form.getByLabel("Password").fill(requester.password);
    await form.getByRole("button", { name: "Sign up and ask to join" }).click();
    // Signed in with the password just chosen: the page shows the request, pending, with no second sign-in.
    const waiting = requesterPage.locator('[data-testid="join-result"][role="status"]');
    await waiting.waitFor({ state: "visible" });
    expect(await waiting.innerText()).toContain("Your request is waiting for an admin");
    expect(new URL(requesterPage.url()).pathname).toBe(`/join/${DEMO_TENANT}`);
    // One pending request per user and tenant: no form to ask a second time.
    expect(await requesterPage.getByTestId("join-form").count()).toBe(0);
  });

  it("should email the owner that a request was received, with the message and a link to the pending inbox", async () => {
    const mail = await waitForMailTo(app.sink, app.owner.email, { where: (m) => (m.subject ?? "").includes("request to join") });
    expect(recipients(mail)).toEqual([app.owner.email.toLowerCase()]);
    expect(mail.subject).toBe(`New request to join ${DEMO_TENANT_NAME}`);
    expect(mail.from?.value[0]?.address).toBe("roster@e2e.test");
    expect(mail.text).toContain(message);
    expect(mail.text).toMatch(new RegExp(`${requester.firstName}|${requester.email.replace(/[.]/g, "\\.")}`));
    expect(linkIn(mail, app.server.baseUrl, `/t/${DEMO_TENANT}/pending?tab=requests`), `no pending-inbox link in:\n${mail.text}`).not.toBeNull();
  });

  it("should let the owner accept the request on the pending page as Worker at one unit", async () => {
    const rows = await pendingRequestRows(requester.email);
    expect(await rows.count()).toBe(1);
    const rowText = await rows.first().innerText();
    expect(rowText).toContain(`${requester.firstName} ${requester.lastName}`);
    expect(rowText).toContain(message);

    await rows.first().getByRole("checkbox", { name: `Select request from ${requester.email}` }).check();
    await owner.locator('section[aria-label="Join requests"] label:has-text("Accept as") select').selectOption("worker");
    const units = owner.getByTestId("accept-units");
    await units.getByRole("checkbox", { name: new RegExp(`^${INVITE_UNIT_NAME} \\(`) }).check();
    expect(await owner.getByTestId("accept-units-count").innerText()).toBe("1 chosen");
    const accept = owner.getByTestId("bulk-accept");
    expect(await accept.isEnabled()).toBe(true);
    await accept.click();
    const notice = owner.getByTestId("pending-notice");
    await notice.waitFor({ state: "visible" });
    expect((await notice.innerText()).trim()).toBe("Accept: 1 done.");
    expect(await notice.getAttribute("role")).toBe("status");
    expect(await (await pendingRequestRows(requester.email)).count()).toBe(0);
  });

  it("should email the requester that the request was accepted, with a link to the tenant", async () => {
    const mail = await waitForMailTo(app.sink, requester.email, { where: (m) => (m.subject ?? "").includes("accepted") });
    expect(recipients(mail)).toEqual([requester.email]);
    expect(mail.subject).toBe(`Your request to join ${DEMO_TENANT_NAME} was accepted`);
    expect(linkIn(mail, app.server.baseUrl, `/t/${DEMO_TENANT}`), `no tenant link in:\n${mail.text}`).not.toBeNull();
    // The requester got two emails: the sign-up's verification link (issue 9) and the decision.
    expect(app.sink.inbox.filter((m) => recipients(m).includes(requester.email)).map((m) => m.subject).sort())
      .toEqual(["Confirm your email address", `Your request to join ${DEMO_TENANT_NAME} was accepted`]);
  });

  it("should show the accepted requester nothing of the tenant until the email address is confirmed from the link", async () => {
    await requesterPage.goto(`/t/${DEMO_TENANT}`);
    const denied = requesterPage.getByTestId("tenant-denied");
    await denied.waitFor({ state: "visible" });
    expect(await denied.innerText()).toMatch(/^Confirm your email address first/);
    await requesterPage.goto("/account");
    await requesterPage.getByTestId("verify-email-banner").waitFor({ state: "visible" });

    const mail = await waitForMailTo(app.sink, requester.email, { where: (m) => m.subject === "Confirm your email address" });
    const esc = app.server.baseUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const link = new RegExp(`${esc}/verify-email\\?token=rs_ve_[A-Za-z0-9_-]{43}`).exec(mail.text ?? "");
    expect(link, mail.text ?? "").not.toBeNull();
    await requesterPage.goto(link![0]);
    await requesterPage.waitForFunction(() => !window.location.search);
    await requesterPage.getByTestId("verify-email-confirm").click();
    const state = requesterPage.getByTestId("verify-email-state");
    await state.waitFor({ state: "visible" });
    expect(await state.getAttribute("data-state")).toBe("verified");
  });

  it("should take the requester from the join page into the tenant shell", async () => {
    await requesterPage.goto(`/join/${DEMO_TENANT}`);
    const member = requesterPage.getByTestId("join-result");
    await member.waitFor({ state: "visible" });
    expect(await member.innerText()).toContain("You are already a member");
    await Promise.all([
      requesterPage.waitForURL((u) => u.pathname === `/t/${DEMO_TENANT}`),
      member.getByRole("link", { name: `Open ${DEMO_TENANT_NAME}` }).click(),
    ]);
    await requesterPage.getByTestId("tenant-shell").waitFor({ state: "visible" });
    expect(await requesterPage.getByTestId("tenant-name").innerText()).toBe(DEMO_TENANT_NAME);
    // The Overview names the person's roles in its heading's description.
    expect(await requesterPage.locator("main").innerText()).toContain("You are signed in as worker.");
    expect(await requesterPage.getByTestId("tenant-denied").count()).toBe(0);
  });

  it("should show the owner the new member in the members list as worker at the chosen unit", async () => {
    await owner.goto(`/t/${DEMO_TENANT}/members?q=${encodeURIComponent(requester.email)}`);
    const row = owner.getByTestId("member-row").filter({ hasText: requester.email });
    expect(await row.count()).toBe(1);
    expect((await row.innerText()).toLowerCase()).toContain("worker");

    await openMemberFromList(owner, requester.email, `${requester.firstName} ${requester.lastName}`);
    expect(await owner.getByTestId("member-status").innerText()).toBe("Active");
    const units = owner.locator('section[aria-labelledby="units-h"] li');
    expect(await units.count()).toBe(1);
    const unitLine = await units.innerText();
    expect(unitLine).toContain(INVITE_UNIT_NAME);
    expect(unitLine).toContain("worker");
  });
});
