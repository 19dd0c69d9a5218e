/**
 * Debian's Chromium driven by playwright-core (Playwright's own browser download does not work offline). Without
 * /usr/bin/chromium the browser tests are skipped locally with a loud warning and fail under CI.
 *
 * Every context of a browser from launchChromium() watches for Content-Security-Policy violations (issue 9: zero
 * across the e2e suite), both as `securitypolicyviolation` events in the page and as Chromium's console reports.
 * Any violation fails the test during which it arrived (afterEach) and, if it arrived later, the file (afterAll).
 */
import fs from "node:fs";
import { afterAll, afterEach } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const INSTALL_HINT = "apt-get update && apt-get install -y chromium fonts-liberation";

export const hasChromium = () => fs.existsSync(CHROMIUM);

export function warnMissingChromium(): void {
  const bar = "!".repeat(78);
  console.warn(`\n${bar}\n!! ${CHROMIUM} is missing: the browser end-to-end tests are SKIPPED.\n!! Install it with: ${INSTALL_HINT}\n${bar}\n`);
}

export type CspViolation = { pageUrl: string; directive: string; blocked: string; sample: string; via: "event" | "console" };

const violations: CspViolation[] = [];
let reported = 0;

/** Every CSP violation any page of this file's browsers reported so far. */
export const cspViolations = (): readonly CspViolation[] => violations;

/**
 * The violations not yet checked, marked as checked: for a test that provokes one on purpose to prove the watch
 * works. Waits a moment first, since reports arrive from the browser asynchronously.
 */
export async function drainCspViolations(waitMs = 300): Promise<CspViolation[]> {
  await new Promise((r) => setTimeout(r, waitMs));
  const fresh = violations.slice(reported);
  reported = violations.length;
  return fresh;
}

const describeViolations = (list: readonly CspViolation[]) =>
  list.map((v) => `  ${v.via}: ${v.directive} blocked ${v.blocked || "(inline)"} on ${v.pageUrl}${v.sample ? ` [${v.sample}]` : ""}`).join("\n");

function failOnNewViolations(when: string): void {
  const fresh = violations.slice(reported);
  reported = violations.length;
  if (fresh.length) throw new Error(`${fresh.length} Content-Security-Policy violation(s) ${when}:\n${describeViolations(fresh)}`);
}

// Registered when a test file imports this module, so they apply to every test of the file without touching it.
afterEach(() => failOnNewViolations("during this test"));
afterAll(() => failOnNewViolations("after the last test"));

const BINDING = "__rosterCspViolation";

async function watchCsp(context: BrowserContext): Promise<void> {
  await context.exposeBinding(BINDING, ({ page }, v: Omit<CspViolation, "via" | "pageUrl"> & { documentUrl: string }) => {
    violations.push({ pageUrl: v.documentUrl || page.url(), directive: v.directive, blocked: v.blocked, sample: v.sample, via: "event" });
  });
  await context.addInitScript((binding: string) => {
    window.addEventListener(
      "securitypolicyviolation",
      (e) => {
        const report = (window as unknown as Record<string, (v: unknown) => void>)[binding];
        report?.({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample, documentUrl: e.documentURI });
      },
      true,
    );
  }, BINDING);
  context.on("console", (msg) => {
    const text = msg.text();
    if (/Content[ -]Security[ -]Policy/i.test(text)) {
      violations.push({ pageUrl: msg.page()?.url() ?? "", directive: text.slice(0, 300), blocked: "", sample: "", via: "console" });
    }
  });
}

export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The machine is offline apart from localhost: background networking and QUIC only cause refused connections.
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run",
    ],
  });
  // browser.newPage() goes through newContext() too, so every page of this browser is watched.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    if (options?.bypassCSP) throw new Error("e2e contexts must not bypass the Content-Security-Policy");
    const context = await newContext(options);
    await watchCsp(context);
    return context;
  };
  return browser;
}

/** The `name` attribute of the focused element. */
export const focusedName = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute("name") ?? null);

/**
 * Waits until React has hydrated the element with `testId` (it carries React's internal keys then). A form filled in
 * the server HTML before that is reset by hydration, so a test typing at once would race it.
 */
export async function waitForHydration(page: Page, testId: string): Promise<void> {
  await page.waitForFunction((id) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    return !!el && Object.keys(el).some((k) => k.startsWith("__react"));
  }, testId);
}
