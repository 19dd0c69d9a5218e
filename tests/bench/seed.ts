/**
 * Seeds the bench tenant. The tenant, its first location and the partner token come from the operator CLI (the
 * services, with their rules and audit); the N members come through the set-based import (`members:import`, a
 * generated CSV); the rest of the bulk (1,000 units, access at HQ, the bench's own actors) is one INSERT … SELECT
 * per table here.
 */
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { hashPassword } from "../../server/auth/password.ts";
import type { Sql } from "./db.ts";

const run = promisify(execFile);
const sha256 = (raw: string) => crypto.createHash("sha256").update(raw, "utf8").digest("hex");
const ROOT = path.resolve(import.meta.dirname, "../..");

export const BENCH_PASSWORD = "bench-password-Zq7!long";
export const OWNER_EMAIL = "owner@bench.test";
export const SLUG = "bench";

export type Seed = {
  tenantId: number;
  slug: string;
  ownerEmail: string;
  password: string;
  /** The location every member has access at (REST company list). */
  hqId: number;
  siteIds: number[];
  partnerToken: string;
  /** A USER token of the owner under the partner (`Bearer <partner>, User <user>`), inserted like POST /api/v1/auth does. */
  userToken: string;
  /** Per target: users with a password and a verified email who are not members (invite, then accept). */
  invitees: { roster: string[]; floor: string[] };
  /** Per target: members to remove, one per repetition. */
  victims: { roster: { membershipId: number; email: string }[]; floor: { membershipId: number; email: string }[] };
  /** Per target: the member whose role is toggled and the member copied to 1,000 units (user ids and membership ids). */
  roleTarget: { roster: Member; floor: Member };
  copySource: { roster: Member; floor: Member };
  members: number;
  seedMs: { cli: number; members: number; importPath: string };
  /** The import rate: Roster's import in its service and with its CLI process, against the floor's statement. */
  importMs: { service: number; cli: number; floor: number };
};
type Member = { membershipId: number; userId: number; email: string };

async function cliText(env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
  try {
    return (await run(process.execPath, ["--import", "tsx", path.join(ROOT, "server/cli/index.ts"), ...args], { cwd: ROOT, env, maxBuffer: 64 << 20 })).stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`cli ${args[0]} failed: ${err.stderr?.trim() || err.message}`);
  }
}

async function cli(env: NodeJS.ProcessEnv, args: string[]): Promise<Record<string, unknown>> {
  try {
    const { stdout } = await run(process.execPath, ["--import", "tsx", path.join(ROOT, "server/cli/index.ts"), ...args, "--json"], { cwd: ROOT, env, maxBuffer: 64 << 20 });
    return JSON.parse(stdout.trim().split("\n").pop()!) as Record<string, unknown>;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`cli ${args[0]} failed: ${err.stderr?.trim() || err.message}`);
  }
}

const FIRST = ["Maria", "Mark", "Anna", "John", "Olga", "Peter", "Elena", "Ivan", "Sofia", "Lucas", "Emma", "Noah", "Mia", "Leon", "Clara", "David", "Sara", "Tom", "Julia", "Martin", "Nina", "Oscar", "Paula", "Rafael", "Tanya", "Victor", "Wendy", "Yuri", "Zoe", "Hana"];
const LAST = ["Smith", "Novak", "Garcia", "Kowalski", "Ivanova", "Müller", "Rossi", "Dubois", "Tanaka", "Silva", "Jensen", "Horvat", "Nagy", "Popescu", "Berg", "Costa", "Moreau", "Weber", "Bianchi", "Larsen", "Kim", "Lopez", "Fischer", "Santos", "Kaya", "Meyer", "Nowak", "Reyes", "Schmidt", "Varga"];

export const memberEmail = (i: number) => `member-${String(i).padStart(6, "0")}@bench.test`;

/** The CSV `members:import` reads: email,first_name,last_name,display_name,phone,roles. */
export function membersCsv(n: number): string {
  const lines = ["email,first_name,last_name,display_name,phone,roles"];
  for (let i = 1; i <= n; i++) {
    const f = FIRST[i % FIRST.length]!;
    const l = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    lines.push(`${memberEmail(i)},${f},${l},${f} ${l},+1555${String(i).padStart(7, "0")},worker`);
  }
  return lines.join("\n") + "\n";
}

export async function seed(opts: { env: NodeJS.ProcessEnv; open: () => Promise<Sql>; members: number; perTarget: { invites: number; removals: number }; scratchDir: string; log: (s: string) => void }): Promise<Seed> {
  const { env, members: n } = opts;
  const t0 = Date.now();
  const created = (await cli(env, ["tenant:create", "--name", "Bench", "--slug", SLUG, "--owner-email", OWNER_EMAIL, "--owner-password", BENCH_PASSWORD])) as { tenant: { id: number; slug: string } };
  // PostgreSQL takes both at once; the embedded directory admits one process at a time.
  const both = [["unit:create", "--tenant", SLUG, "--name", "HQ", "--kind", "LOCATION"], ["token:create", "--tenant", SLUG, "--kind", "partner", "--name", "bench"]];
  const [hqOut, partnerOut] = env.DATABASE_URL ? await Promise.all(both.map((a) => cli(env, a))) : [await cli(env, both[0]!), await cli(env, both[1]!)];
  const hq = hqOut as { unit: { id: number } };
  const partner = partnerOut as { token: string };
  const cliMs = Date.now() - t0;
  const tenantId = created.tenant.id;

  const importPath = "npm run cli -- members:import";
  const t1 = Date.now();
  let serviceMs: number;
  const csv = membersCsv(n);
  {
    const file = path.join(opts.scratchDir, "people.csv");
    fs.writeFileSync(file, csv);
    // The text summary, not --json: the JSON holds a result per row (megabytes at 100,000), and the CLI exits
    // before a pipe has taken all of it (it arrives cut off).
    const out = await cliText(env, ["members:import", "--tenant", SLUG, "--file", file]);
    const created = Number(/(\d+) created/.exec(out)?.[1]);
    if (created !== n) throw new Error(`members:import created ${created} of ${n} members:\n${out.slice(0, 2000)}`);
    serviceMs = Number(/\((\d+) ms\)/.exec(out)?.[1]);
  }
  const importMs = Date.now() - t1;

  const sql = await opts.open();
  try {
    const roles = new Map((await sql.query<{ id: number; slug: string }>(`SELECT id, slug FROM "Role" WHERE "tenantId" = $1`, [tenantId])).map((r) => [r.slug, r.id]));
    const worker = roles.get("worker")!;
    const floorImportMs = await floorImport(sql, csv, tenantId, worker);
    const t2 = Date.now();
    await sql.query("BEGIN");
    // An operator's import leaves addresses unverified (pending verification: such a member sees nothing and is not
    // listed as active); a tenant in use has verified members, and those are what the lists must carry.
    await sql.query(`UPDATE "User" SET "emailVerifiedAt" = now() WHERE email LIKE 'member-%@bench.test' AND "emailVerifiedAt" IS NULL`);
    await sql.query(
      `INSERT INTO "Unit" ("tenantId", name, kind, "updatedAt") SELECT $1, 'Site ' || g, 'LOCATION', now() FROM generate_series(1, 1000) g`,
      [tenantId],
    );
    // Every member has access at HQ, so GET /api/v1/company/{HQ}/users lists all of them.
    await sql.query(
      `INSERT INTO "UnitAccess" ("tenantId", "membershipId", "unitId", "roleId", status, "acceptedAt", "updatedAt")
       SELECT $1, m.id, $2, $3, 'ACTIVE', now(), now() FROM "Membership" m WHERE m."tenantId" = $1 AND NOT m."hasFullAccess"
       ON CONFLICT ("tenantId", "membershipId", "unitId") DO NOTHING`,
      [tenantId, hq.unit.id, worker],
    );
    // The bench's own actors: invitees (accounts, not members) and signed-in users share one argon2id hash (the
    // app's parameters): hashing thousands of times would only slow the setup.
    const hash = await hashPassword(BENCH_PASSWORD);
    const inv = (t: string) => Array.from({ length: opts.perTarget.invites }, (_, i) => `invitee-${t}-${i + 1}@bench.test`);
    const invitees = { roster: inv("r"), floor: inv("f") };
    await sql.query(
      `INSERT INTO "User" (email, "firstName", "lastName", "passwordHash", "emailVerifiedAt", "updatedAt")
       SELECT e, 'Invited', 'Person', $2, now(), now() FROM unnest($1::text[]) e`,
      [[...invitees.roster, ...invitees.floor], hash],
    );
    // The owner's user token under the partner, as POST /api/v1/auth issues it: in the seed, so the floor's copy of
    // an embedded data directory has it too.
    const userToken = `rs_ut_${crypto.randomBytes(32).toString("base64url")}`;
    await sql.query(
      `INSERT INTO "ApiToken" ("tenantId", kind, name, prefix, "tokenHash", scopes, "userId", "parentId")
       SELECT p."tenantId", 'USER', 'bench user', 'rs_ut_bench', $2, p.scopes, (SELECT id FROM "User" WHERE email = $3), p.id
       FROM "ApiToken" p WHERE p."tokenHash" = $1`,
      [sha256(partner.token), sha256(userToken), OWNER_EMAIL],
    );
    await sql.query("COMMIT");
    // VACUUM too: the floor's import was rolled back, and its dead rows must not slow the operations measured next.
    await sql.query(`VACUUM ANALYZE`);
    const membersMs = Date.now() - t2;

    const pick = async (i: number): Promise<Member> => {
      const [r] = await sql.query<{ membershipId: number; userId: number; email: string }>(
        `SELECT m.id AS "membershipId", u.id AS "userId", u.email FROM "User" u JOIN "Membership" m ON m."userId" = u.id AND m."tenantId" = $1 WHERE u.email = $2`,
        [tenantId, memberEmail(i)],
      );
      if (!r) throw new Error(`seed: no member ${memberEmail(i)}`);
      return r;
    };
    const victims = { roster: [] as Member[], floor: [] as Member[] };
    for (let i = 0; i < opts.perTarget.removals; i++) {
      victims.roster.push(await pick(n - 2 * i));
      victims.floor.push(await pick(n - 2 * i - 1));
    }
    const siteIds = (await sql.query<{ id: number }>(`SELECT id FROM "Unit" WHERE "tenantId" = $1 AND name LIKE 'Site %' ORDER BY id`, [tenantId])).map((r) => r.id);
    opts.log(`seeded ${n} members through ${importPath} in ${(importMs / 1000).toFixed(1)} s (a CLI process, start-up included), the rest (units, access, bench users) in ${(membersMs / 1000).toFixed(1)} s; CLI setup ${(cliMs / 1000).toFixed(1)} s`);
    return {
      tenantId, slug: SLUG, ownerEmail: OWNER_EMAIL, password: BENCH_PASSWORD, hqId: hq.unit.id, siteIds, partnerToken: partner.token,
      userToken, invitees, victims, roleTarget: { roster: await pick(1), floor: await pick(2) }, copySource: { roster: await pick(3), floor: await pick(4) },
      members: n, seedMs: { cli: cliMs, members: importMs + membersMs, importPath },
      importMs: { service: serviceMs, cli: importMs, floor: floorImportMs },
    };
  } finally {
    await sql.close();
  }
}

/**
 * The floor's member import: the same CSV, split by hand (the bench's file has no quoting), written as ONE statement
 * of data-modifying CTEs (accounts, memberships, their role, an audit row per member and one for the batch) in a
 * transaction with JIT off, as Roster's import is, under other addresses in the same tenant, then rolled back.
 * Returns the milliseconds from the file's text to the statement's end.
 */
async function floorImport(sql: Sql, csv: string, tenantId: number, roleId: number): Promise<number> {
  const t = performance.now();
  const cols: string[][] = [[], [], [], [], []];
  const lines = csv.split("\n");
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i]) continue;
    const c = lines[i]!.split(",");
    cols[0]!.push(`floor-${c[0]!}`);
    for (let k = 1; k < 5; k++) cols[k]!.push(c[k]!);
  }
  await sql.query("BEGIN");
  try {
    await sql.query("SET LOCAL jit = off");
    await sql.query(
      `WITH u AS (
         INSERT INTO "User" (email, "firstName", "lastName", "displayName", phone, "updatedAt")
         SELECT e, f, l, d, p, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(e, f, l, d, p)
         RETURNING id, email),
       m AS (
         INSERT INTO "Membership" ("tenantId", "userId", status, kind, "hasFullAccess", "updatedAt")
         SELECT $6, u.id, 'ACTIVE', 'MEMBER', false, now() FROM u RETURNING id, "userId"),
       r AS (INSERT INTO "MembershipRole" ("membershipId", "roleId", "tenantId") SELECT m.id, $7, $6 FROM m),
       a AS (INSERT INTO "AuditEvent" ("tenantId", "actorType", action, "targetType", "targetId", after)
             SELECT $6, 'SYSTEM', 'member.added', 'membership', m.id::text, jsonb_build_object('userId', m."userId", 'role', 'worker') FROM m)
       INSERT INTO "AuditEvent" ("tenantId", "actorType", action, "targetType", "targetId", after)
       SELECT $6, 'SYSTEM', 'members.imported', 'tenant', $6::text, jsonb_build_object('created', count(*)) FROM m`,
      [...cols, tenantId, roleId],
    );
    return performance.now() - t;
  } finally {
    await sql.query("ROLLBACK");
  }
}
