/**
 * Account self-service in Chromium (issue 11, item 1) at a laptop and a phone size: the profile form saves the name
 * and language (seen again after a reload), the avatar uploads and is shown from /avatars/<blobId> under the strict
 * CSP, and the sessions list reads "<browser> on <OS>" with the current one marked "This device".
 */
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { hasChromium, launchChromium } from "./helpers/browser.ts";
import { serverSkipReason, startE2eApp, type E2eApp } from "./helpers/e2e-app.ts";

const runBrowser = hasChromium();
const skipReason = serverSkipReason();
if (runBrowser && skipReason) console.warn(`\n!! e2e account profile tests SKIPPED: ${skipReason}\n`);

const VIEWPORTS = [
  { name: "1440x900", width: 1440, height: 900 },
  { name: "375x812", width: 375, height: 812 },
] as const;

describe.runIf(runBrowser && !skipReason)("account self-service in Chromium", () => {
  let app: E2eApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startE2eApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signedIn(viewport: { width: number; height: number }): Promise<{ page: Page; cspViolations: string[] }> {
    const context = await browser.newContext({ baseURL: app.server.baseUrl, viewport });
    const page = await context.newPage();
    const cspViolations: string[] = [];
    page.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });
    await page.goto("/signin");
    await page.locator('input[name="email"]').fill(app.owner.email);
    await page.locator('input[name="password"]').fill(app.owner.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/t\/[a-z0-9-]+$/);
    await page.goto("/account");
    await page.locator('[data-testid="profile-form"][data-hydrated="true"]').waitFor();
    return { page, cspViolations };
  }

  for (const vp of VIEWPORTS) {
    it(`should save the edited name and language and show them after a reload at ${vp.name}`, async () => {
      const { page } = await signedIn(vp);
      const first = `Grace${vp.width}`;
      await page.getByLabel("First name").fill(first);
      await page.getByLabel("Last name").fill("Hopper");
      await page.getByLabel("Display name").fill("");
      await page.getByLabel("Language").selectOption("de");
      await page.getByRole("button", { name: "Save profile" }).click();
      await page.getByTestId("profile-saved").waitFor({ state: "visible" });

      await page.reload();
      // The values are in the server-rendered HTML, before any script runs.
      expect(await page.getByLabel("First name").inputValue()).toBe(first);
      expect(await page.getByLabel("Last name").inputValue()).toBe("Hopper");
      expect(await page.getByLabel("Language").inputValue()).toBe("de");
      // Nothing of the form is cut off or pushed sideways on a phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await page.context().close();
    });

    it(`should show a field error next to the field for a name over 100 characters at ${vp.name}`, async () => {
      const { page } = await signedIn(vp);
      const field = page.getByLabel("First name");
      await field.fill("x".repeat(101));
      await page.getByRole("button", { name: "Save profile" }).click();
      await expect.poll(() => field.getAttribute("aria-invalid")).toBe("true");
      expect(await page.getByText("Use at most 100 characters.").isVisible()).toBe(true);
      await page.context().close();
    });

    it(`should list sessions as "<browser> on <OS>" with this one marked "This device" at ${vp.name}`, async () => {
      const { page } = await signedIn(vp);
      const current = page.locator('[data-testid="session-row"][data-current="true"]');
      await current.waitFor({ state: "visible" });
      expect(await current.getByTestId("session-current").textContent()).toBe("This device");
      expect(await current.getByTestId("session-device").textContent()).toMatch(/^\S.* on \S.*$/);
      expect(await current.getByTestId("session-current").isVisible()).toBe(true);
      const devices = await page.getByTestId("session-device").allTextContents();
      for (const d of devices) expect(d).not.toMatch(/Mozilla\/5\.0/);
      await page.context().close();
    });
  }

  it("should upload an avatar, show it from /avatars/<blobId> under the CSP, and remove it", async () => {
    const { page, cspViolations } = await signedIn({ width: 1440, height: 900 });
    const png = await sharp({ create: { width: 800, height: 500, channels: 3, background: { r: 30, g: 90, b: 200 } } }).png().toBuffer();
    await page.getByTestId("avatar-input").setInputFiles({ name: "me.png", mimeType: "image/png", buffer: png });
    const img = page.getByTestId("account-avatar");
    await img.waitFor({ state: "visible" });
    expect(await img.getAttribute("src")).toMatch(/^\/avatars\/[0-9a-f]{64}$/);
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(256);
    expect(cspViolations).toEqual([]);

    const tooBig = Buffer.alloc(2 * 1024 * 1024 + 10, 1);
    await page.getByTestId("avatar-input").setInputFiles({ name: "big.png", mimeType: "image/png", buffer: tooBig });
    await expect.poll(() => page.getByTestId("avatar-notice").textContent()).toContain("larger than 2 MB");

    await page.getByTestId("avatar-input").setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("just text") });
    await expect.poll(() => page.getByTestId("avatar-notice").textContent()).toContain("not an image");

    await page.getByRole("button", { name: "Remove picture" }).click();
    await page.getByTestId("account-avatar-initials").waitFor({ state: "visible" });
    await page.context().close();
  });
});
