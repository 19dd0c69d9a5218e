/**
 * Page-level steps for the join-request e2e file (tests/e2e/join-flow.test.ts). The app itself is startInviteApp
 * (invite-app.ts): the demo tenant on either database with a local SMTP sink; nothing here starts a server.
 */
import { waitForHydration } from "./browser.ts";
import { expect } from "vitest";
import type { ParsedMail } from "mailparser";
import type { Page } from "playwright-core";
import { DEMO_TENANT } from "./access-app.ts";

/** The policies the settings page offers (OPEN, the older name of REQUEST, is not one of them). */
export type JoinPolicy = "CLOSED" | "REQUEST";

/** The sentence of app/join/[tenant]/page.tsx for an unknown, suspended or CLOSED tenant (one page, no enumeration). */
export const JOIN_CLOSED_TITLE = "This tenant does not accept requests";

/**
 * Sets the tenant's join policy on the settings page as `page` (an admin), waits for the visible "Settings saved."
 * notice, then reloads and checks the saved value is the checked radio.
 */
export async function setJoinPolicy(page: Page, policy: JoinPolicy, tenant = DEMO_TENANT): Promise<void> {
  await page.goto(`/t/${tenant}/settings`);
  const form = page.getByTestId("settings-form");
  await form.waitFor({ state: "visible" });
  await waitForHydration(page, "settings-form");
  await form.locator(`input[name="joinPolicy"][value="${policy}"]`).check();
  await page.getByTestId("settings-save").click();
  const notice = page.getByTestId("settings-notice");
  await notice.waitFor({ state: "visible" });
  expect((await notice.innerText()).trim()).toBe("Settings saved.");
  expect(await notice.getAttribute("role")).toBe("status");
  await page.reload();
  await page.getByTestId("settings-form").waitFor({ state: "visible" });
  expect(await page.locator(`input[name="joinPolicy"][value="${policy}"]`).isChecked()).toBe(true);
}

/** Asserts `page` shows the neutral closed page of /join/[tenant]: the title, and no form, sign-up or tenant name. */
export async function expectJoinClosed(page: Page): Promise<void> {
  const closed = page.getByTestId("join-closed");
  await closed.waitFor({ state: "visible" });
  expect((await closed.innerText()).trim()).toBe(JOIN_CLOSED_TITLE);
  expect(await page.getByTestId("join-form").count()).toBe(0);
  expect(await page.getByTestId("join-sign-in").count()).toBe(0);
  expect(await page.getByTestId("join-tenant-name").count()).toBe(0);
  expect(await page.locator("input, textarea, select").count()).toBe(0);
}

/** The first `<baseUrl><path>` link in the mail's plain text (path a prefix such as "/t/northwind"), or null. */
export function linkIn(mail: ParsedMail, baseUrl: string, path: string): string | null {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = new RegExp(`${esc(baseUrl)}${esc(path)}(?=[\\s"'<>]|$)`).exec(mail.text ?? "");
  return m ? m[0] : null;
}
