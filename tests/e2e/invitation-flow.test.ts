/**
 * The whole invitation path in Chromium against the built server (issue 5, "Done when"): the owner of the demo
 * tenant invites a new address as Worker at one unit from the pending page → the background job worker delivers
 * the email to a real SMTP sink in this process → the link, opened in a fresh browser, lands on the token-free
 * /invite page (Referrer-Policy: no-referrer) → the invitee signs up, signs in and accepts → the owner sees the new
 * member in the members list and on their access page as worker at that unit. Plus the dead ends: the spent link and
 * a tampered token show the same neutral message, and a different signed-in account is told so while the invitation
 * stays pending. The tests run in order and share the state they build.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { describeOnlyIf } from "../helpers/only-if.ts";
import { DEMO_TENANT, openMemberFromList, signedInPage, TENANT_PATH } from "./helpers/access-app.ts";
import { hasChromium, INSTALL_HINT, launchChromium, warnMissingChromium } from "./helpers/browser.ts";
import { serverSkipReason } from "./helpers/e2e-app.ts";
import { DEMO_TENANT_NAME, INVITE_UNIT_NAME, inviteLinkIn, recipients, startInviteApp, tamper, waitForMailTo, type InviteApp } from "./helpers/invite-app.ts";

/** NEUTRAL_MESSAGE in server/services/invitations/token-lookup.ts: one message for every dead link. */
const NEUTRAL = "This invitation link is not valid. It may have expired, been used, or been withdrawn.";

const runBrowser = hasChromium();
const skipReason = serverSkipReason();

if (!runBrowser && !process.env.CI) warnMissingChromium();
else if (skipReason) console.warn(`\n!! e2e invitation tests SKIPPED: ${skipReason}\n`);

describeOnlyIf(!runBrowser && !!process.env.CI)("Chromium", () => {
  it("should be installed on CI", () => {
    throw new Error(`/usr/bin/chromium is missing; install it with: ${INSTALL_HINT}`);
  });
});

describe.runIf(runBrowser && !skipReason)("invitation from the pending page to a member at work, in Chromium", () => {
  let app: InviteApp;
  let browser: Browser;
  let owner: Page;
  const contexts: BrowserContext[] = [];
  const suffix = Math.random().toString(36).slice(2, 8);
  const invitee = { email: `ivy-${suffix}@e2e.test`, firstName: "Ivy", lastName: "Invitee", password: "ivy-invitee-password-1" };
  /** The link from the first email, kept for the later cases. */
  let link: { url: string; token: string };

  beforeAll(async () => {
    [app, browser] = await Promise.all([startInviteApp(), launchChromium()]);
    owner = await signedInPage(browser, app, app.owner);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A new browser context: no cookies, no session, like a different browser on the invitee's machine. */
  async function freshPage(): Promise<Page> {
    const context = await browser.newContext({ baseURL: app.server.baseUrl, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context.newPage();
  }

  /** Invites `email` through the form on the pending page (role worker, optionally at `unitId`, email on). */
  async function inviteFromPendingPage(email: string, unitId: number | null): Promise<string> {
    await owner.goto(`/t/${DEMO_TENANT}/pending`);
    const form = owner.getByTestId("invite-form");
    await form.waitFor({ state: "visible" });
    await owner.locator("#inv-email").fill(email);
    await owner.locator("#inv-kind").selectOption("MEMBER");
    await owner.locator("#inv-role").selectOption("worker");
    await owner.locator("#inv-unit").selectOption(unitId === null ? "" : String(unitId));
    const sendEmail = form.getByLabel("Send the invitation email");
    expect(await sendEmail.isChecked()).toBe(true);
    await owner.getByTestId("invite-submit").click();
    const notice = owner.getByTestId("invite-notice");
    await notice.waitFor({ state: "visible" });
    return notice.innerText();
  }

  /** The pending-invitations row for `email` on the pending page (reloaded), as text; null when there is none. */
  async function pendingRow(email: string): Promise<string | null> {
    await owner.goto(`/t/${DEMO_TENANT}/pending`);
    await owner.getByTestId("invite-form").waitFor({ state: "visible" });
    const rows = owner.getByTestId("pending-invitation").filter({ hasText: email });
    return (await rows.count()) === 0 ? null : rows.first().innerText();
  }

  it("should invite a new address as Worker at the unit from the pending page", async () => {
    const notice = await inviteFromPendingPage(invitee.email, app.depot.id);
    expect(notice).toContain(`Invitation sent to ${invitee.email}`);
    // Sent by email: the link is not shown to the inviter.
    expect(await owner.getByTestId("invite-url").count()).toBe(0);
    const row = await pendingRow(invitee.email);
    expect(row).not.toBeNull();
    expect(row!.toLowerCase()).toContain("pending");
    expect(row!.toLowerCase()).toContain("worker");
  });

  it("should deliver the invitation email to the local SMTP server with the link and the tenant name", async () => {
    const mail = await waitForMailTo(app.sink, invitee.email, { where: (m) => (m.subject ?? "").includes("invited") });
    expect(recipients(mail)).toEqual([invitee.email]);
    expect(mail.subject).toBe(`You are invited to join ${DEMO_TENANT_NAME}`);
    expect(mail.from?.value[0]?.address).toBe("roster@e2e.test");
    expect(mail.text).toContain(DEMO_TENANT_NAME);
    expect(mail.text).toContain("Worker");
    const found = inviteLinkIn(mail, app.server.baseUrl);
    expect(found, `no ${app.server.baseUrl}/invite/<token> link in:\n${mail.text}`).not.toBeNull();
    link = found!;
    // The HTML part carries the same link.
    expect(typeof mail.html === "string" ? mail.html : "").toContain(link.url);
  });

  it("should show only the neutral message for a tampered token", async () => {
    const page = await freshPage();
    const res = await page.goto(`/invite/${tamper(link.token)}`);
    expect(new URL(page.url()).origin).toBe(app.server.baseUrl);
    expect(new URL(page.url()).pathname).toBe("/invite");
    expect(res?.status()).toBe(200);
    expect((await page.getByTestId("invite-invalid").innerText()).trim()).toBe(NEUTRAL);
    expect(await page.getByTestId("invite-title").count()).toBe(0);
    expect(await page.getByTestId("invite-signup").count()).toBe(0);
  });

  let inviteePage: Page;

  it("should land on a token-free /invite page sent with Referrer-Policy: no-referrer, showing the preview", async () => {
    inviteePage = await freshPage();
    const res = await inviteePage.goto(link.url);
    expect(res).not.toBeNull();
    // The link redirected to /invite ON THE PUBLIC ORIGIN (where the token cookie was set): the token is in neither
    // the address bar nor the final response's URL.
    expect(new URL(res!.url()).origin).toBe(app.server.baseUrl);
    expect(new URL(res!.url()).pathname).toBe("/invite");
    expect(inviteePage.url()).not.toContain(link.token);
    expect(new URL(inviteePage.url()).pathname).toBe("/invite");
    expect(res!.status()).toBe(200);
    expect((await res!.allHeaders())["referrer-policy"]).toBe("no-referrer");
    // The redirect that still carried the token in its URL says the same.
    const landing = await res!.request().redirectedFrom()?.response();
    expect(landing?.status()).toBe(303);
    expect((await landing!.allHeaders())["referrer-policy"]).toBe("no-referrer");

    expect(await inviteePage.getByTestId("invite-title").innerText()).toBe(`Join ${DEMO_TENANT_NAME}`);
    expect(await inviteePage.getByTestId("invite-role").innerText()).toBe("Worker");
    expect(await inviteePage.getByTestId("invite-card").innerText()).toContain(invitee.email);
    await inviteePage.getByTestId("invite-signup").waitFor({ state: "visible" });
    // Opening the link changed nothing: the invitation is still pending.
    expect(await pendingRow(invitee.email)).not.toBeNull();
  });

  it("should create the account, sign in and accept in one step, landing on the accepted invitation", async () => {
    const signup = inviteePage.getByTestId("invite-signup");
    expect(await signup.getByLabel("Email").inputValue()).toBe(invitee.email);
    await signup.getByLabel("First name").fill(invitee.firstName);
    await signup.getByLabel("Last name").fill(invitee.lastName);
    await signup.getByLabel(/^Password/).fill(invitee.password);
    await Promise.all([
      inviteePage.waitForURL((u) => u.pathname === "/invite" && u.searchParams.get("done") === "accepted"),
      signup.getByRole("button", { name: "Create account and join" }).click(),
    ]);
    expect(await inviteePage.getByTestId("invite-title").innerText()).toBe(`Welcome to ${DEMO_TENANT_NAME}`);
    expect(await inviteePage.getByTestId("invite-result").innerText()).toContain(`You joined ${DEMO_TENANT_NAME}`);
    expect(await inviteePage.getByTestId("invite-error").count()).toBe(0);

    // Signed in already: the tenant opens without a sign-in page in between.
    await Promise.all([inviteePage.waitForURL((u) => u.pathname === `/t/${DEMO_TENANT}`), inviteePage.getByTestId("invite-continue").click()]);
    await inviteePage.getByTestId("tenant-shell").waitFor({ state: "visible" });
    await inviteePage.goto("/account");
    expect(await inviteePage.getByTestId("session-row").count()).toBe(1);
  });

  it("should show the owner the new member in the members list and as worker at the unit on the access page", async () => {
    // No longer pending.
    expect(await pendingRow(invitee.email)).toBeNull();

    const membershipId = await openMemberFromList(owner, invitee.email, `${invitee.firstName} ${invitee.lastName}`);
    // The owner may change roles, so the tenant roles show as the roles form: Worker ticked, nothing else.
    const rolesForm = owner.getByTestId("roles-form");
    expect(await rolesForm.getByLabel("Worker", { exact: true }).isChecked()).toBe(true);
    expect(await rolesForm.locator('input[type="checkbox"]:checked').count()).toBe(1);
    expect(await owner.getByTestId("full-access").isChecked()).toBe(false);
    // The Units section: exactly the preset unit, as worker, active.
    const units = owner.locator('section[aria-labelledby="units-h"] li');
    expect(await units.count()).toBe(1);
    const unitLine = await units.innerText();
    expect(unitLine).toContain(INVITE_UNIT_NAME);
    expect(unitLine).toContain("worker");
    expect(unitLine).not.toContain("invited");
    expect(await owner.getByTestId("member-status").innerText()).toBe("Active");
    expect(await owner.getByTestId("member-detail").innerText()).toContain(invitee.email);

    await owner.goto(`/t/${DEMO_TENANT}/members?q=${encodeURIComponent(invitee.email)}`);
    const row = owner.getByTestId("member-row").filter({ hasText: invitee.email });
    expect(await row.count()).toBe(1);
    expect((await row.innerText()).toLowerCase()).toContain("worker");

    await owner.goto(`/t/${DEMO_TENANT}/members/${membershipId}/access`);
    const matrix = owner.getByTestId("access-matrix");
    await matrix.waitFor({ state: "visible" });
    const headers = (await matrix.locator("thead th").allInnerTexts()).slice(1);
    // Exactly the preset unit, with the preset role, active (not "invited").
    expect(headers.map((h) => h.split("\n")[0]!.trim())).toEqual([INVITE_UNIT_NAME]);
    expect(headers[0]!.split("\n").slice(1).join(" ").trim()).toBe("worker");
  });

  it("should show the neutral message when the spent link is opened again", async () => {
    const page = await freshPage();
    await page.goto(link.url);
    expect(new URL(page.url()).origin).toBe(app.server.baseUrl);
    expect(page.url()).not.toContain(link.token);
    expect((await page.getByTestId("invite-invalid").innerText()).trim()).toBe(NEUTRAL);
    // The same in the invitee's own signed-in browser.
    await inviteePage.goto(link.url);
    expect((await inviteePage.getByTestId("invite-invalid").innerText()).trim()).toBe(NEUTRAL);
    expect(await inviteePage.getByTestId("invite-accept").count()).toBe(0);
  });

  it("should tell a different signed-in account that the invitation is not theirs and leave it pending", async () => {
    const other = `olga-${suffix}@e2e.test`;
    expect(await inviteFromPendingPage(other, null)).toContain(`Invitation sent to ${other}`);
    const mail = await waitForMailTo(app.sink, other);
    const otherLink = inviteLinkIn(mail, app.server.baseUrl);
    expect(otherLink).not.toBeNull();

    // The CLI-made worker of the demo tenant, signed in in a browser of their own.
    const worker = await signedInPage(browser, app, app.worker);
    contexts.push(worker.context());
    await worker.goto(otherLink!.url);
    expect(new URL(worker.url()).origin).toBe(app.server.baseUrl);
    expect(new URL(worker.url()).pathname).toBe("/invite");
    const wrong = worker.getByTestId("invite-wrong-account");
    await wrong.waitFor({ state: "visible" });
    expect(await wrong.innerText()).toContain(other);
    expect(await wrong.innerText()).toContain(app.worker.email);
    expect(await worker.getByTestId("invite-accept").count()).toBe(0);
    expect(await worker.getByTestId("invite-signup").count()).toBe(0);

    // Posting the confirmation anyway (as a hand-made form would) does not consume it either.
    await worker.evaluate(() => {
      const f = document.createElement("form");
      f.method = "post";
      f.action = "/invite/accept";
      document.body.appendChild(f);
      f.submit();
    });
    await worker.waitForURL((u) => u.pathname === "/invite" || u.pathname.startsWith("/t/"));
    expect(new URL(worker.url()).pathname).toBe("/invite");

    const row = await pendingRow(other);
    expect(row).not.toBeNull();
    expect(row!.toLowerCase()).toContain("pending");

    // "Sign out and continue" comes back to the invitation, signed out, offering the invited address its next step.
    await worker.getByTestId("invite-wrong-account").waitFor({ state: "visible" });
    await Promise.all([worker.waitForURL((u) => u.pathname === "/invite"), worker.getByRole("button", { name: "Sign out and continue" }).click()]);
    const signup = worker.getByTestId("invite-signup");
    await signup.waitFor({ state: "visible" });
    expect(await signup.getByLabel("Email").inputValue()).toBe(other);
    expect(await worker.getByTestId("invite-wrong-account").count()).toBe(0);
    expect(await pendingRow(other)).not.toBeNull();
  });

  it("should accept in one step on a phone: create the account from the link and land on the accepted invitation", async () => {
    const person = { email: `pia-${suffix}@e2e.test`, password: "pia-phone-password-1" };
    expect(await inviteFromPendingPage(person.email, null)).toContain(`Invitation sent to ${person.email}`);
    const mail = await waitForMailTo(app.sink, person.email);
    const phoneLink = inviteLinkIn(mail, app.server.baseUrl);
    expect(phoneLink).not.toBeNull();
    const context = await browser.newContext({ baseURL: app.server.baseUrl, viewport: { width: 375, height: 812 } });
    contexts.push(context);
    const phone = await context.newPage();
    await phone.goto(phoneLink!.url);
    const signup = phone.getByTestId("invite-signup");
    await signup.waitFor({ state: "visible" });
    expect(await signup.getByLabel("Email").inputValue()).toBe(person.email);
    await signup.getByLabel("First name").fill("Pia");
    await signup.getByLabel("Last name").fill("Phone");
    await signup.getByLabel(/^Password/).fill(person.password);
    await Promise.all([
      phone.waitForURL((u) => u.pathname === "/invite" && u.searchParams.get("done") === "accepted"),
      signup.getByRole("button", { name: "Create account and join" }).click(),
    ]);
    expect(await phone.getByTestId("invite-result").innerText()).toContain(`You joined ${DEMO_TENANT_NAME}`);
    // Nothing on the page is wider than the phone.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await Promise.all([phone.waitForURL((u) => u.pathname === `/t/${DEMO_TENANT}`), phone.getByTestId("invite-continue").click()]);
    await phone.getByTestId("tenant-shell").waitFor({ state: "visible" });
  });
});

