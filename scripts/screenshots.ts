/**
 * The README screenshots: `npm run screenshots` (after `npm run build`) starts the built app on a fresh embedded
 * database, which seeds the demo tenant on its first start, signs in as the demo owner in Chromium (/usr/bin/chromium
 * or CHROMIUM) and writes, at 1440×900:
 * - docs/screenshots/members.png: the members list;
 * - docs/screenshots/access.png: a member's access page (Maria Lopez, who holds roles at two units).
 * A fresh database each time, so the pictures never show anyone's real data and come out the same on every machine.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import sharp from "sharp";
import { parseDemoSignIn, ROOT, startAppServer } from "../tests/e2e/helpers/app-server.ts";

const OUT = path.join(ROOT, "docs/screenshots");
const VIEWPORT = { width: 1440, height: 900 };
const TENANT = "northwind";

/** A palette PNG: the app's flat colours survive it, and the file is a fraction of the size. */
const write = async (file: string, png: Buffer) => {
  await sharp(png).png({ palette: true, compressionLevel: 9, effort: 10 }).toFile(path.join(OUT, file));
  console.log(`wrote docs/screenshots/${file} (${Math.round(fs.statSync(path.join(OUT, file)).size / 1024)} kB)`);
};

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "roster-screenshots-"));
  const server = await startAppServer({ dataDir });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const owner = parseDemoSignIn(server.output());
    const page = await (await browser.newContext({ baseURL: server.baseUrl, viewport: VIEWPORT })).newPage();
    await page.goto("/signin");
    await page.getByLabel("Email").fill(owner.email);
    await page.getByLabel("Password").fill(owner.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(new RegExp(`/t/${TENANT}$`));

    await page.goto(`/t/${TENANT}/members`);
    await page.getByTestId("members-table").waitFor();
    await write("members.png", await page.screenshot());

    await page.getByRole("link", { name: "Maria Lopez", exact: true }).click();
    await page.waitForURL(/\/members\/\d+$/);
    await page.goto(`${new URL(page.url()).pathname}/access`);
    await page.getByTestId("access-matrix").waitFor();
    await write("access.png", await page.screenshot());
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
