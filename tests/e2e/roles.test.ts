/**
 * The roles page (/t/:tenant/roles) in Chromium against the built server, as the owner of the demo tenant: edit a
 * role's defaults in the grid (boolean and integer, a refused value rolls back), create, rename/re-weight and delete
 * a custom role, add a tenant right; and what a worker (no roles.manage) sees.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { hasChromium, launchChromium } from "./helpers/browser.ts";
import { serverSkipReason } from "./helpers/e2e-app.ts";
import { DEMO_TENANT, isTrpcCall, signedInPage, startAccessApp, type AccessApp } from "./helpers/access-app.ts";

const runBrowser = hasChromium();
const skipReason = serverSkipReason();

describe.runIf(runBrowser && !skipReason)("roles page in Chromium", () => {
  let app: AccessApp;
  let browser: Browser;
  let owner: Page;
  const rolesPath = `/t/${DEMO_TENANT}/roles`;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startAccessApp(), launchChromium()]);
    owner = await signedInPage(browser, app, app.owner);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const grid = (page: Page) => page.getByTestId("roles-grid");
  const notice = (page: Page) => page.getByTestId("roles-notice");
  async function open(page: Page): Promise<void> {
    await page.goto(rolesPath);
    await grid(page).waitFor({ state: "visible" });
  }
  /** Runs `action` and waits for the tRPC call to `procedure` it makes; returns its HTTP status. */
  async function calling(page: Page, procedure: string, action: () => Promise<void>): Promise<number> {
    const [res] = await Promise.all([page.waitForResponse((r) => isTrpcCall(r.url(), procedure) && r.request().method() === "POST"), action()]);
    return res.status();
  }

  it("should turn on Billing for the worker role and keep it after a reload", async () => {
    await open(owner);
    const cell = owner.getByTestId("role-default-worker-billing_access");
    expect(await cell.isChecked()).toBe(false);
    expect(await calling(owner, "roles.update", () => cell.click())).toBe(200);
    await expect.poll(() => notice(owner).getAttribute("role")).toBe("status");
    await expect.poll(() => cell.isChecked()).toBe(true);
    await owner.reload();
    await grid(owner).waitFor({ state: "visible" });
    expect(await owner.getByTestId("role-default-worker-billing_access").isChecked()).toBe(true);
  });

  it("should save Days of history on blur, not save an unchanged value, and roll back a bad one", async () => {
    await open(owner);
    const days = owner.getByTestId("role-default-worker-last_days_count");
    await days.fill("30");
    expect(await calling(owner, "roles.update", () => days.press("Tab"))).toBe(200);
    await expect.poll(() => notice(owner).getAttribute("role")).toBe("status");
    await owner.reload();
    await grid(owner).waitFor({ state: "visible" });
    const after = owner.getByTestId("role-default-worker-last_days_count");
    expect(await after.inputValue()).toBe("30");

    let calls = 0;
    owner.on("request", (r) => { if (isTrpcCall(r.url(), "roles.update")) calls++; });
    await after.focus();
    await after.press("Tab");
    await after.fill("lots");
    await after.press("Tab");
    await expect.poll(() => notice(owner).getAttribute("role")).toBe("alert");
    expect(await after.inputValue()).toBe("30");
    expect(calls).toBe(0);
  });

  it("should keep the owner column read-only", async () => {
    await open(owner);
    expect(await owner.getByTestId("role-default-owner-billing_access").count()).toBe(0);
    expect(await owner.getByTestId("role-rename-owner").count()).toBe(0);
    expect(await owner.getByTestId("role-delete-worker").count()).toBe(0);
  });

  it("should create, rename and re-weight, then delete a custom role after confirming", async () => {
    await open(owner);
    const form = owner.getByTestId("create-role");
    await form.getByLabel("Slug").fill("e2e_helper");
    await form.getByLabel("Title").fill("Helper");
    await form.getByLabel("Weight").fill("15");
    await form.getByRole("button", { name: "Create role" }).click();
    await owner.getByTestId("role-rename-e2e_helper").waitFor({ state: "visible" });

    await owner.getByTestId("role-rename-e2e_helper").click();
    await owner.getByLabel("Title of e2e_helper").fill("Helper Plus");
    await owner.getByLabel("Weight of e2e_helper").fill("16");
    expect(await calling(owner, "roles.update", () => owner.getByTestId("role-edit-form-e2e_helper").getByRole("button", { name: "Save" }).click())).toBe(200);
    await expect.poll(() => grid(owner).locator("thead").innerText()).toContain("Helper Plus");
    expect(await grid(owner).locator("thead").innerText()).toContain("e2e_helper · 16");

    await owner.getByTestId("role-delete-e2e_helper").click();
    expect(await calling(owner, "roles.delete", () => owner.getByTestId("role-delete-confirm-e2e_helper").click())).toBe(200);
    await expect.poll(() => notice(owner).innerText()).toContain("Deleted role e2e_helper");
    await expect.poll(() => owner.getByTestId("role-rename-e2e_helper").count()).toBe(0);
  });

  it("should add a tenant right that then shows up in the grid", async () => {
    await open(owner);
    const form = owner.getByTestId("add-right-form");
    await form.getByLabel("Slug").fill("e2e_parking");
    await form.getByLabel("Category").fill("e2e_extras");
    await form.getByLabel("Title").fill("Parking spots");
    await form.getByLabel("Type").selectOption("INTEGER");
    await form.getByLabel("Default").fill("2");
    expect(await calling(owner, "roles.createRight", () => form.getByRole("button", { name: "Add right" }).click())).toBe(200);
    await expect.poll(() => notice(owner).getAttribute("role")).toBe("status");
    await owner.getByTestId("role-default-worker-e2e_parking").waitFor({ state: "visible" });

    // The same slug again: a clear error.
    await form.getByLabel("Slug").fill("e2e_parking");
    await form.getByLabel("Title").fill("Parking again");
    await form.getByRole("button", { name: "Add right" }).click();
    await expect.poll(() => owner.getByTestId("add-right-error").innerText()).toContain("already exists");
    expect(await owner.getByTestId("add-right-error").getAttribute("role")).toBe("alert");
  });

  it("should show no edit controls to a worker", async () => {
    const worker = await signedInPage(browser, app, app.worker);
    await worker.goto(rolesPath);
    await worker.waitForLoadState("networkidle");
    expect(await worker.getByTestId("add-right-form").count()).toBe(0);
    expect(await worker.getByTestId("create-role").count()).toBe(0);
    expect(await worker.locator('[data-testid^="role-default-"], [data-testid^="role-rename-"]').count()).toBe(0);
    await worker.context().close();
  });
});
