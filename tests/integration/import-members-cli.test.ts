/**
 * `npm run cli -- members:import` as an operator runs it: a separate process on an embedded database of its own
 * (a temporary DATA_DIR), so the command's parsing, output and exit codes are what is proven here; the import's rules
 * are proven in import-members.test.ts.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli, runCliJson } from "../e2e/helpers/cli.ts";
import { testDbKind } from "../helpers/db.ts";
import { describeOnlyIf } from "../helpers/only-if.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roster-import-cli-"));
const env = {
  DATA_DIR: path.join(dir, "data"),
  NEXTAUTH_SECRET: "import-cli-test-secret-0123456789abcdef",
  NEXTAUTH_URL: "http://localhost:3000",
  DATA_ENCRYPTION_KEY: "07".repeat(32),
};
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};

// The embedded database only: the command is the same on PostgreSQL, and a process per case is slow enough once.
describeOnlyIf(testDbKind() === "pglite")("npm run cli -- members:import", () => {
  beforeAll(() => {
    runCliJson(["tenant:create", "--name", "Import CLI", "--slug", "import-cli", "--owner-email", "owner@import-cli.test", "--owner-password", "correct-horse-battery-staple"], env);
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("should import a CSV as active members, then report every row as exists on a re-run (--json)", { timeout: 180_000 }, () => {
    const csv = file("people.csv", "email,first_name,roles\nada@import-cli.test,Ada,manager\nbob@import-cli.test,Bob,\n");
    type Out = { written: boolean; counts: Record<string, number>; results: { row: number; email: string; status: string }[]; ms: number };
    const first = runCliJson<Out>(["members:import", "--tenant", "import-cli", "--file", csv], env);
    expect(first).toMatchObject({ written: true, counts: { created: 2, exists: 0, error: 0 } });
    expect(first.results).toEqual([{ row: 2, email: "ada@import-cli.test", status: "created" }, { row: 3, email: "bob@import-cli.test", status: "created" }]);
    expect(first.ms).toBeGreaterThanOrEqual(0);
    const again = runCliJson<Out>(["members:import", "--tenant", "import-cli", "--file", csv], env);
    expect(again).toMatchObject({ written: false, counts: { created: 0, exists: 2 } });
  });

  it("should exit 1 naming the bad row and write nothing (atomic); --mode per_row --dry-run reports without writing", { timeout: 180_000 }, () => {
    const csv = file("bad.csv", "email\ncarol@import-cli.test\nnot-an-email\n");
    const r = runCli(["members:import", "--tenant", "import-cli", "--file", csv], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("row 3 (not-an-email): email: must be a single valid email address");
    const dry = runCli(["members:import", "--tenant", "import-cli", "--file", csv, "--mode", "per_row", "--dry-run"], env);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^Dry run \(nothing written\): 2 rows: 1 to create, 0 already members, 1 invalid/);
    expect(dry.stdout).toContain("row 3 (not-an-email)");
    const check = runCliJson<{ counts: Record<string, number> }>(["members:import", "--tenant", "import-cli", "--file", file("carol.csv", "email\ncarol@import-cli.test\n"), "--dry-run"], env);
    expect(check.counts).toMatchObject({ created: 1, exists: 0 });
  });

  it("should refuse a missing file or a bad --mode with exit 2", { timeout: 120_000 }, () => {
    const missing = runCli(["members:import", "--tenant", "import-cli", "--file", path.join(dir, "nope.csv")], env);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("cannot read --file");
    const mode = runCli(["members:import", "--tenant", "import-cli", "--file", file("x.csv", "email\n"), "--mode", "sometimes"], env);
    expect(mode.status).toBe(2);
  });
});
