/**
 * Debian's Chromium driven by playwright-core (Playwright's own browser download does not work offline). Without
 * /usr/bin/chromium the browser tests are skipped locally with a loud warning and fail under CI.
 */
import fs from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const INSTALL_HINT = "apt-get update && apt-get install -y chromium fonts-liberation";

export const hasChromium = () => fs.existsSync(CHROMIUM);

export function warnMissingChromium(): void {
  const bar = "!".repeat(78);
  console.warn(`\n${bar}\n!! ${CHROMIUM} is missing: the browser end-to-end tests are SKIPPED.\n!! Install it with: ${INSTALL_HINT}\n${bar}\n`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The machine is offline apart from localhost: background networking and QUIC only cause refused connections.
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run",
    ],
  });
}

/** The `name` attribute of the focused element. */
export const focusedName = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute("name") ?? null);
