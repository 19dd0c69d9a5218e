/**
 * Issue 11 item 5 in Chromium: forms validate one way (the shared zod schema in the browser, the same on the
 * server), show each error beside its field (aria-invalid, aria-describedby), move focus to the first invalid field
 * or, on success, to the result, and start empty again after a success. At 1440×900 and 375×812.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { DEMO_TENANT, TENANT_PATH, startAccessApp, type AccessApp, type Credentials } from "./helpers/access-app.ts";
import { hasChromium, launchChromium, waitForHydration } from "./helpers/browser.ts";
import { serverSkipReason } from "./helpers/e2e-app.ts";

const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 375, height: 812 },
] as const;

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? null);
const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? null);

/** The text of the elements `field` names in aria-describedby, joined. */
async function description(page: Page, field: Locator): Promise<string> {
  const ids = ((await field.getAttribute("aria-describedby")) ?? "").split(/\s+/).filter(Boolean);
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText()));
  return texts.join(" ");
}

describe.runIf(hasChromium() && !serverSkipReason())("forms in Chromium", () => {
  let app: AccessApp;
  let browser: Browser;
  const suffix = Math.random().toString(36).slice(2, 8);

  beforeAll(async () => {
    [app, browser] = await Promise.all([startAccessApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function page(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ baseURL: app.server.baseUrl, viewport });
    return context.newPage();
  }

  async function signedIn(viewport: { width: number; height: number }, who: Credentials = app.owner): Promise<Page> {
    const p = await page(viewport);
    await p.goto("/signin");
    await p.getByLabel("Email").fill(who.email);
    await p.getByLabel("Password").fill(who.password);
    await p.getByRole("button", { name: "Sign in" }).click();
    await p.waitForURL(TENANT_PATH);
    return p;
  }

  async function invite(p: Page, email: string): Promise<void> {
    await p.locator("#inv-email").fill(email);
    await p.getByLabel("Send the invitation email").uncheck();
    await p.getByTestId("invite-submit").click();
  }

  for (const viewport of VIEWPORTS) {
    describe(`at ${viewport.width}×${viewport.height}`, () => {
      it("should show an invalid email beside the field, tied with aria-invalid and aria-describedby, with focus on it", async () => {
        const p = await signedIn(viewport);
        await p.goto(`/t/${DEMO_TENANT}/pending`);
        await p.getByTestId("invite-form").waitFor({ state: "visible" });
        await p.locator("#inv-email").fill("not-an-email");
        await p.getByTestId("invite-submit").click();
        const email = p.locator("#inv-email");
        await expect.poll(() => email.getAttribute("aria-invalid")).toBe("true");
        expect(await description(p, email)).toBe("Must be a single valid email address.");
        expect(await focusedId(p)).toBe("inv-email");
        // Checked in the browser: nothing was sent, so no banner and no result.
        expect(await p.getByTestId("invite-error").count()).toBe(0);
        expect(await p.getByTestId("invite-notice").count()).toBe(0);
        await p.context().close();
      });

      it("should move focus to the result after a valid invite and clear the email, so a second address can be invited", async () => {
        const p = await signedIn(viewport);
        await p.goto(`/t/${DEMO_TENANT}/pending`);
        await p.getByTestId("invite-form").waitFor({ state: "visible" });
        const first = `forms-a-${viewport.width}-${suffix}@e2e.test`;
        const second = `forms-b-${viewport.width}-${suffix}@e2e.test`;

        await invite(p, first);
        await p.getByTestId("invite-url").waitFor({ state: "visible" });
        await expect.poll(() => focusedTestId(p)).toBe("invite-notice");
        expect(await p.getByTestId("invite-notice").getAttribute("role")).toBe("status");
        expect(await p.locator("#inv-email").inputValue()).toBe("");
        expect(await p.locator("#inv-email").getAttribute("aria-invalid")).toBeNull();
        const firstUrl = await p.getByTestId("invite-url").inputValue();

        await invite(p, second);
        await expect.poll(() => p.getByTestId("invite-url").inputValue()).not.toBe(firstUrl);
        await expect.poll(() => focusedTestId(p)).toBe("invite-notice");
        expect(await p.getByTestId("invite-error").count()).toBe(0);
        expect(await p.locator("#inv-email").inputValue()).toBe("");

        await p.goto(`/t/${DEMO_TENANT}/pending`);
        const rows = p.getByTestId("pending-invitation");
        await rows.first().waitFor({ state: "visible" });
        expect(await rows.filter({ hasText: first }).count()).toBe(1);
        expect(await rows.filter({ hasText: second }).count()).toBe(1);
        await p.context().close();
      });

      it("should answer an empty sign-in form with \"Enter your email and password.\" and mark both fields", async () => {
        const p = await page(viewport);
        await p.goto("/signin");
        await p.getByRole("button", { name: "Sign in" }).click();
        const error = p.getByTestId("signin-error");
        await error.waitFor({ state: "visible" });
        expect(await error.innerText()).toBe("Enter your email and password.");
        expect(await p.getByLabel("Email").getAttribute("aria-invalid")).toBe("true");
        expect(await p.getByLabel("Password").getAttribute("aria-invalid")).toBe("true");
        expect(await focusedId(p)).toBe(await p.getByLabel("Email").getAttribute("id"));
        expect(new URL(p.url()).pathname).toBe("/signin");
        await p.context().close();
      });
    });
  }

  it("should show a settings error beside the field its label names, then focus the saved message after a fix", async () => {
    const p = await signedIn(VIEWPORTS[0]);
    await p.goto(`/t/${DEMO_TENANT}/settings`);
    await waitForHydration(p, "settings-form");
    const ttl = p.getByLabel("Invitation lifetime (days)");
    await ttl.fill("31");
    await p.getByTestId("settings-save").click();
    await expect.poll(() => ttl.getAttribute("aria-invalid")).toBe("true");
    expect(await description(p, ttl)).toContain("Must be between 1 and 30 days.");
    expect(await focusedId(p)).toBe("ttl");
    expect(await p.getByTestId("settings-form").innerText()).not.toContain("invitationTtlDays");

    await ttl.fill("14");
    const origins = p.getByLabel("Allowed link origins");
    await origins.fill("https://partner.example\nftp://files.example");
    await p.getByTestId("settings-save").click();
    await expect.poll(() => origins.getAttribute("aria-invalid")).toBe("true");
    expect(await description(p, origins)).toContain("Line 2 (ftp://files.example) must be an http(s) origin");
    expect(await focusedId(p)).toBe("origins");
    expect(await ttl.getAttribute("aria-invalid")).toBeNull();

    await origins.fill("");
    await p.getByTestId("settings-save").click();
    await p.getByTestId("settings-notice").waitFor({ state: "visible" });
    await expect.poll(() => focusedTestId(p)).toBe("settings-notice");
    await p.reload();
    expect(await p.getByLabel("Invitation lifetime (days)").inputValue()).toBe("14");
    await p.context().close();
  });

  it("should check the create-role form in the browser, name the field, then reset it and focus the result", async () => {
    const p = await signedIn(VIEWPORTS[0]);
    await p.goto(`/t/${DEMO_TENANT}/roles`);
    await waitForHydration(p, "create-role");
    const form = p.getByTestId("create-role");
    const [slug, title, weight] = [form.getByLabel("Slug"), form.getByLabel("Title"), form.getByLabel("Weight")];
    await slug.fill(`lead_${suffix}`);
    await weight.fill("abc");
    let calls = 0;
    p.on("request", (r) => void (r.url().includes("roles.create") && calls++));
    await form.getByRole("button", { name: "Create role" }).click();
    await expect.poll(() => title.getAttribute("aria-invalid")).toBe("true");
    expect(await weight.getAttribute("aria-invalid")).toBe("true");
    expect(await description(p, weight)).toContain("Must be a whole number from 1 to 99.");
    expect(await focusedId(p)).toBe(await title.getAttribute("id"));
    expect(calls).toBe(0);

    await title.fill("Shift lead");
    await weight.fill("20");
    await form.getByRole("button", { name: "Create role" }).click();
    await expect.poll(() => form.getByRole("status").innerText()).toContain("Created role Shift lead.");
    expect(await p.evaluate(() => document.activeElement?.getAttribute("role"))).toBe("status");
    expect(await slug.inputValue()).toBe("");

    // The same slug again: the server's refusal in the form's alert, focus on the slug to change it.
    await slug.fill(`lead_${suffix}`);
    await title.fill("Shift lead again");
    await form.getByRole("button", { name: "Create role" }).click();
    await expect.poll(() => p.getByTestId("create-role-error").innerText()).toMatch(/already exists|taken/i);
    expect(await focusedId(p)).toBe(await slug.getAttribute("id"));
    await p.context().close();
  });

  it("should refuse a non-number default for a number right beside the Default field, sending nothing", async () => {
    const p = await signedIn(VIEWPORTS[0]);
    await p.goto(`/t/${DEMO_TENANT}/roles`);
    await waitForHydration(p, "add-right-form");
    const form = p.getByTestId("add-right-form");
    await form.getByLabel("Slug").fill(`desk_${suffix}`);
    await form.getByLabel("Category").fill("extras");
    await form.getByLabel("Title").fill("Desks");
    await form.getByLabel("Type").selectOption("INTEGER");
    const def = form.getByLabel("Default");
    await def.fill("two");
    let calls = 0;
    p.on("request", (r) => void (r.url().includes("roles.createRight") && calls++));
    await form.getByRole("button", { name: "Add right" }).click();
    await expect.poll(() => def.getAttribute("aria-invalid")).toBe("true");
    expect(await description(p, def)).toContain("Enter a whole number (-1 means unlimited, 0 none).");
    expect(await focusedId(p)).toBe(await def.getAttribute("id"));
    expect(calls).toBe(0);
    await p.context().close();
  });

  it("should rename a unit in a dialog on a phone: Escape leaves it unchanged, an empty name is refused beside the field", async () => {
    const p = await signedIn(VIEWPORTS[1]);
    await p.goto(`/t/${DEMO_TENANT}/units`);
    await waitForHydration(p, "units-list");
    const create = p.getByRole("region", { name: "Create a unit" });
    const unitName = `Depot ${suffix}`;
    await create.getByLabel("Name").fill(unitName);
    await create.getByRole("button", { name: "Create unit" }).click();
    await expect.poll(() => p.getByTestId("units-notice").innerText()).toContain(`Created ${unitName}.`);
    expect(await create.getByLabel("Name").inputValue()).toBe("");

    const row = p.getByTestId("unit-row").filter({ hasText: unitName });
    const opener = row.getByRole("button", { name: "Rename", exact: true });
    await opener.click();
    const dialog = p.getByRole("dialog", { name: `Rename ${unitName}` });
    const field = dialog.getByLabel("New name");
    await expect.poll(() => focusedId(p)).toBe(await field.getAttribute("id"));
    await field.fill("Something else");
    await p.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await p.evaluate(() => document.activeElement?.textContent)).toBe("Rename");
    await expect.poll(() => row.count()).toBe(1);

    await opener.click();
    expect(await field.inputValue()).toBe(unitName);
    await field.fill("   ");
    await dialog.getByRole("button", { name: "Save name" }).click();
    await expect.poll(() => field.getAttribute("aria-invalid")).toBe("true");
    expect(await description(p, field)).toContain("New name is required.");
    await field.fill(`${unitName} North`);
    await dialog.getByRole("button", { name: "Save name" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(() => p.getByTestId("units-notice").innerText()).toContain(`Renamed to ${unitName} North.`);
    await p.reload();
    await expect.poll(() => p.getByTestId("unit-row").filter({ hasText: `${unitName} North` }).count()).toBe(1);
    await p.context().close();
  });
});
