/**
 * `npm test`: one Vitest run over every suite, then one summary line.
 *
 * - Projects: unit, integration and e2e always; integration-postgres and e2e-postgres when TEST_DATABASE_URL is set.
 *   Under CI, TEST_DATABASE_URL is required (the PostgreSQL suites are not optional there).
 * - Before e2e it makes sure the production build exists and is newer than every source file that goes into it
 *   (`npm run build` otherwise). Locally without Chromium the browser tests skip, and so does the build; the e2e
 *   tests that need a server then skip too (E2E_SERVER=skip) rather than test an outdated build.
 * - Extra arguments go to Vitest unchanged: `npm test -- tests/unit`, `npm test -- --project unit -t "formatPath"`.
 * - The last line printed is `N passed, N failed, N skipped`, counted from Vitest's JSON report; the exit code is
 *   non-zero when anything failed (a file that failed to load or whose beforeAll failed counts as one failure) or
 *   when no test ran.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const reportFile = path.join(root, "tests", ".artifacts", "vitest-report.json");
const args = process.argv.slice(2);
const ci = !!process.env.CI;
const withPostgres = !!process.env.TEST_DATABASE_URL;

function fail(message: string): never {
  console.error(`\nnpm test: ${message}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}

if (ci && !withPostgres) {
  fail("CI is set but TEST_DATABASE_URL is not: the PostgreSQL suites must run on CI (e.g. postgres://postgres@127.0.0.1:5432/postgres).");
}

/** Newest modification time under `p` (a file or a directory), skipping generated code. */
function newestMtime(p: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(p)) {
    const child = path.join(p, entry);
    if (child === path.join(root, "server", "db", "generated")) continue;
    newest = Math.max(newest, newestMtime(child));
  }
  return newest;
}

const BUILD_INPUTS = ["app", "server", "prisma", "next.config.js", "package.json", "instrumentation.ts", "postcss.config.mjs"];

function buildIsStale(): string | null {
  const buildId = path.join(root, process.env.NEXT_DIST_DIR || ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return "no build yet";
  const built = fs.statSync(buildId).mtimeMs;
  const newer = BUILD_INPUTS.find((p) => newestMtime(path.join(root, p)) > built);
  return newer ? `${newer} changed since the last build` : null;
}

/** True when the run may include e2e files: no path filters, or a filter that names an e2e path or project. */
function mayRunE2e(): boolean {
  const projectArgs = args.flatMap((a, i) => (a === "--project" ? [args[i + 1] ?? ""] : a.startsWith("--project=") ? [a.slice(10)] : []));
  if (projectArgs.length) return projectArgs.some((p) => p.startsWith("e2e"));
  const filters = args.filter((a, i) => !a.startsWith("-") && !(i > 0 && args[i - 1]!.startsWith("-") && !args[i - 1]!.includes("=")));
  return filters.length === 0 || filters.some((f) => f.includes("e2e"));
}

if (mayRunE2e()) {
  const hasBrowser = fs.existsSync("/usr/bin/chromium");
  const stale = buildIsStale();
  if (stale && (hasBrowser || ci)) {
    console.log(`npm test: building the app for the e2e suite (${stale})`);
    const build = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
    if (build.status !== 0) fail("`npm run build` failed; the e2e suite needs a production build.");
  } else if (stale) {
    console.warn(`npm test: no Chromium here, so the e2e browser tests will be skipped; not building (${stale}), so the e2e server tests skip too.`);
    process.env.E2E_SERVER = "skip";
  }
}

const userPicksProjects = args.some((a) => a === "--project" || a.startsWith("--project="));
const projects = userPicksProjects
  ? []
  : ["unit", "integration", "e2e", ...(withPostgres ? ["integration-postgres", "e2e-postgres"] : [])].flatMap((p) => ["--project", p]);

fs.mkdirSync(path.dirname(reportFile), { recursive: true });
fs.rmSync(reportFile, { force: true });
const started = Date.now();
const vitest = spawnSync(
  process.execPath,
  [
    path.join(root, "node_modules", "vitest", "vitest.mjs"), "run", ...projects,
    "--reporter=default", "--reporter=json", `--outputFile.json=${reportFile}`, ...args,
  ],
  { cwd: root, stdio: "inherit", env: process.env },
);

type JsonReport = {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { name: string; status: string; assertionResults: { status: string }[]; message?: string }[];
};

let report: JsonReport;
try {
  report = JSON.parse(fs.readFileSync(reportFile, "utf8")) as JsonReport;
} catch {
  fail(`Vitest wrote no report (exit code ${vitest.status ?? vitest.signal}).`);
}

// A file that fails to import, or whose beforeAll fails, reports its tests as skipped or not at all; count each such
// file as one failure, or a broken file would look like a pass.
const brokenFiles = report.testResults.filter((f) => f.status === "failed" && !f.assertionResults.some((a) => a.status === "failed"));
for (const f of brokenFiles) {
  console.error(`npm test: ${path.relative(root, f.name)} failed outside any test (import or hook)${f.message ? `: ${f.message.split("\n")[0]}` : ""}`);
}
const passed = report.numPassedTests;
const failed = report.numFailedTests + brokenFiles.length;
const skipped = report.numPendingTests + report.numTodoTests;

console.log(`npm test: ${((Date.now() - started) / 1000).toFixed(1)} s; JSON report in ${path.relative(root, reportFile)}`);
if (passed === 0 && failed === 0) console.error("npm test: no test ran.");
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 || vitest.status !== 0 ? 1 : 0);
