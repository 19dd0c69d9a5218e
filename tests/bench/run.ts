/**
 * `npm run bench`: Roster against the floor (hand-written SQL behind node:http, ./floor.ts) on one fresh database,
 * over HTTP on loopback, at concurrency 1 (latency percentiles, SQL statements per request) and 16 (throughput).
 * See docs (README "Benchmark") for how to read the table. Flags:
 *   --members N        members in the bench tenant (default 10000)
 *   --reps N           measured requests per operation and target at c=1 (default 20, after --warmup 2 warm-ups;
 *                      the copy operations and the REST lists use at most 10 and 15)
 *   --c16 N            at most N requests per target at c=16 for the read operations (default 400), and at most
 *   --c16-seconds S    S seconds of them (default 3; throughput = completed requests / elapsed time)
 *   --op-time S        limit per operation (default 20 s: no new request starts after it; one in flight may take
 *                      up to 30 s more), --time-limit S for the whole run (default 600 s; a hard stop 60 s later)
 *   --json FILE        also write the raw results
 *   --only a,b         run only these operations (ids as printed)
 *   --profile DIR      write a V8 CPU profile of the Roster server per operation's c=1 phase to DIR/<op>.cpuprofile
 *   --baseline FILE    a --json file of an earlier run (e.g. at 10,000 members): adds the scaling check, each
 *                      Roster p50 against the baseline's (issue 10: within 1.5× at 100,000)
 * DATABASE_URL set: a fresh database roster_bench_<random> on that server (dropped at the end); else embedded PGlite
 * in a temporary DATA_DIR. Builds the app first if there is no build (NEXT_DIST_DIR, default .next).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { firstLoadJs, type RouteBundle } from "./bundles.ts";
import { createBenchDb, type BenchDb } from "./db.ts";
import { createClient, csrfOf, expectStatus, signInPost, signInRoster, trpcData, trpcGetPath, trpcPostBody, type Client, type Reply } from "./http.ts";
import { freePort, killAllTargets, startTarget, type Target } from "./proc.ts";
import { seed, type Seed } from "./seed.ts";
import { fmtMs, fmtRate, fmtRatio, mode, percentile, table } from "./stats.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const { values: args } = parseArgs({
  options: {
    members: { type: "string", default: "10000" },
    reps: { type: "string", default: "20" },
    warmup: { type: "string", default: "2" },
    c16: { type: "string", default: "400" },
    "c16-seconds": { type: "string", default: "3" },
    "op-time": { type: "string", default: "20" },
    "time-limit": { type: "string", default: "600" },
    json: { type: "string" },
    only: { type: "string" },
    baseline: { type: "string" },
    profile: { type: "string" },
    "keep-db": { type: "boolean", default: false },
  },
});
const N = Number(args.members);
const REPS = Number(args.reps);
const WARMUP = Number(args.warmup);
const C16_REQUESTS = Number(args.c16);
const C16_MS = Number(args["c16-seconds"]) * 1000;
const OP_MS = Number(args["op-time"]) * 1000;
const RUN_MS = Number(args["time-limit"]) * 1000;
const ONLY = args.only ? new Set(args.only.split(",")) : null;
const startedAt = Date.now();
const loadAtStart = os.loadavg()[0]!;
const runDeadline = startedAt + RUN_MS;
const log = (s: string) => process.stderr.write(`[bench ${((Date.now() - startedAt) / 1000).toFixed(0).padStart(3)}s] ${s}\n`);

type TargetName = "roster" | "floor";
type Sample = { ms: number; statements: number; late: number };
type OpResult = {
  id: string;
  request: { roster: string; floor: string };
  c1: Record<TargetName, Sample[]>;
  c16: Record<TargetName, { requests: number; errors: number; firstError: string | null; seconds: number; rps: number; p50: number; p95: number; p99: number } | null>;
  budget: { statements?: number; ratio?: number; c16Ratio?: number };
  errors: string[];
  partial: boolean;
  /** Size of the last response body per target: the two must do comparable work. */
  bytes: Record<TargetName, number>;
};

/** One operation: what each target sends for repetition i (setup outside the timed request). */
type Op = {
  id: string;
  request: { roster: string; floor: string };
  budget: OpResult["budget"];
  reps?: number;
  c16?: boolean;
  prepare?: (t: TargetName, i: number) => Promise<void>;
  send: (t: TargetName, i: number) => Promise<Reply>;
  check: (r: Reply, t: TargetName) => void;
};

// ---------------------------------------------------------------------------------------------------------------

let db: BenchDb | null = null;
let targets: Target[] = [];
let scratchDir: string | null = null;
let interrupted = false;
let cleaning: Promise<void> | null = null;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.allSettled(targets.map((t) => t.stop()));
    killAllTargets();
    if (args["keep-db"] && db?.kind === "postgres") log(`--keep-db: the bench database stays: ${db.appEnv.DATABASE_URL}`);
    else await db?.drop().catch((e: unknown) => log(`could not drop the bench database: ${(e as Error).message}`));
    if (scratchDir) fs.rmSync(path.join(scratchDir, "people.csv"), { force: true });
  })();
  return cleaning;
}
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    // tsx relays the terminal's signal, so it can arrive twice.
    if (interrupted) return;
    interrupted = true;
    log(`${sig}: stopping the servers and dropping the bench database`);
    void cleanup().finally(() => process.exit(130));
  });
}
// The hard stop: whatever hangs, the run ends (and cleans up) a minute after its time limit.
setTimeout(() => {
  log(`the run exceeded --time-limit by 60 s: aborting`);
  void cleanup().finally(() => process.exit(3));
}, RUN_MS + 60_000).unref();

function ensureBuild(distDir: string) {
  if (fs.existsSync(path.join(ROOT, distDir, "BUILD_ID"))) return;
  log(`no production build in ${distDir}: building (npm run build)`);
  execFileSync("npm", ["run", "-s", "build"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, NEXT_DIST_DIR: distDir } });
}

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };
  for (const k of ["DATABASE_URL", "DATA_DIR", "NEXTAUTH_URL", "PORT", "SMTP_URL", "TRUSTED_PROXIES"]) delete env[k];
  return { ...env, ...extra };
}

// The bench must measure work, never the throttle: every limit a bench request can touch is raised.
const RATE_LIMITS: Record<string, string> = Object.fromEntries(
  ["SIGNIN_ACCOUNT_IP", "SIGNIN_ACCOUNT", "SIGNIN_IP", "TRPC_USER", "TRPC_IP", "REST_TOKEN", "TOKEN_AUTH_FAIL_IP", "INVITES_TENANT", "INVITE_TOKEN_IP", "VERIFY_EMAIL", "SIGNUP_EMAIL"].map((n) => [
    `RATE_LIMIT_${n}`, "100000000/60",
  ]),
);

async function main() {
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "roster-bench-scratch-"));
  scratchDir = scratch;
  const perTarget = REPS + WARMUP;
  const secrets = { NEXTAUTH_SECRET: "bench-secret-".padEnd(48, "x"), DATA_ENCRYPTION_KEY: "ab".repeat(32) };

  ensureBuild(distDir);
  db = await createBenchDb(databaseUrl);
  log(`database: ${db.describe}`);
  const s: Seed = await seed({
    env: baseEnv({ ...db.appEnv, ...secrets }), open: () => db!.open(), members: N, perTarget: { invites: 2 * perTarget, removals: 2 * perTarget }, scratchDir: scratch, log,
  });
  const floorDb: Record<string, string> = db.kind === "pglite" ? { FLOOR_PGLITE_DIR: await db.copyForFloor() } : { FLOOR_DATABASE_URL: db.appEnv.DATABASE_URL! };

  const rosterPort = await freePort();
  const floorPort = await freePort();
  log("starting Roster (production build) and the floor");
  const [roster, floor] = await Promise.all([
    startTarget({
      name: "roster", cwd: ROOT, port: rosterPort, healthPath: "/api/health", timeoutMs: 180_000,
      args: ["--import", "tsx", "--import", "./tests/bench/preload.ts", "server/cli/serve.ts", "-p", String(rosterPort), "-H", "127.0.0.1"],
      env: baseEnv({ ...db.appEnv, ...secrets, ...RATE_LIMITS, NEXT_DIST_DIR: distDir, NEXTAUTH_URL: `http://127.0.0.1:${rosterPort}`, PORT: String(rosterPort) }),
    }),
    startTarget({
      name: "floor", cwd: ROOT, port: floorPort, healthPath: "/health", timeoutMs: 60_000,
      args: ["--import", "tsx", "tests/bench/floor.ts", "--port", String(floorPort)], env: baseEnv(floorDb),
    }),
  ]);
  targets = [roster, floor];
  const byName: Record<TargetName, Target> = { roster, floor };
  const http: Record<TargetName, Client> = { roster: createClient(roster.base), floor: createClient(floor.base) };

  // Sign-ins the operations use (untimed).
  const owner = (await signInRoster(http.roster, s.ownerEmail, s.password)).cookie;
  const floorSignIn = async (email: string) => {
    const r = expectStatus(await http.floor.request("POST", "/signin", { headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password: s.password }) }), (x) => x === 200, "floor sign-in");
    return (r.headers["set-cookie"] ?? [])[0]!.split(";")[0]!;
  };
  const floorOwner = await floorSignIn(s.ownerEmail);
  const bearer = `Bearer ${s.partnerToken}, User ${s.userToken}`;
  const restHeaders = { authorization: bearer, accept: "application/vnd.api.v2+json" };
  const jsonPost = (cookie: string) => ({ "content-type": "application/json", cookie, origin: roster.base, "sec-fetch-site": "same-origin" });

  const tenant = s.slug;
  const trpcGet = (proc: string, input: unknown, cookie = owner) => http.roster.request("GET", trpcGetPath(proc, input), { headers: { cookie } });
  const trpcPost = (proc: string, input: unknown, cookie = owner) => http.roster.request("POST", `/api/trpc/${proc}`, { headers: jsonPost(cookie), body: trpcPostBody(input) });
  const floorGet = (p: string, cookie = floorOwner) => http.floor.request("GET", p, { headers: { cookie } });
  const floorPost = (p: string, body: unknown, cookie = floorOwner, headers: Record<string, string> = {}) =>
    http.floor.request("POST", p, { headers: { "content-type": "application/json", cookie, ...headers }, body: JSON.stringify(body) });
  const ok2xx = (what: string) => (r: Reply) => void expectStatus(r, (x) => x >= 200 && x < 300, what);
  const trpcOk = (proc: string) => (r: Reply, t: TargetName) => (t === "roster" ? void trpcData(r, proc) : ok2xx(proc)(r));

  const invited: Record<TargetName, number[]> = { roster: [], floor: [] };
  const inviteeSession: Record<TargetName, string[]> = { roster: [], floor: [] };
  const signInCsrf: { jar: string[]; csrfToken: string }[] = [];
  const links = s.siteIds.map((unitId) => ({ unitId }));
  const companyLinks = s.siteIds.map((company_id) => ({ company_id }));
  // Copy and back each do their whole work on every repetition: a copy first undoes the last one and a back first
  // copies (both untimed, in `prepare`), so every measured request creates or removes 1,000 grants.
  const trpcBatch = (proc: "copyToUnits" | "removeFromUnits", floorPath: "/copy" | "/uncopy") => (t: TargetName) => {
    const src = s.copySource[t];
    return t === "roster"
      ? trpcPost(`access.${proc}`, { tenant, unitId: s.hqId, userId: src.userId, links })
      : floorPost(floorPath, { tenant, unitId: s.hqId, userId: src.userId, units: s.siteIds });
  };
  const restJson = { ...restHeaders, "content-type": "application/json" };
  const restBatch = (action: "copy_to_companies" | "remove_from_companies") => (t: TargetName) => {
    const uid = s.copySource[t].userId;
    return t === "roster"
      ? http.roster.request("POST", `/api/v1/company/${s.hqId}/users/${uid}/${action}`, { headers: restJson, body: JSON.stringify({ user_company_links: companyLinks }) })
      : floorPost(`/rest/company/${s.hqId}/users/${uid}/${action}`, { units: s.siteIds }, "", { authorization: bearer });
  };
  const [trpcCopy, trpcBack] = [trpcBatch("copyToUnits", "/copy"), trpcBatch("removeFromUnits", "/uncopy")];
  const [restCopy, restBack] = [restBatch("copy_to_companies"), restBatch("remove_from_companies")];
  const victim = (t: TargetName, i: number, rest = false) => s.victims[t][rest ? perTarget + i : i]!;

  const ops: Op[] = [
    {
      id: "members-page", budget: { statements: 3, ratio: 2, c16Ratio: 0.5 }, c16: true,
      // Newest first, as the floor's page (the name sort orders every match, for both alike).
      request: { roster: `GET /api/trpc/members.list {tenant,sort:createdAt,direction:desc,page:1,pageSize:50}`, floor: "GET /members?page=1&pageSize=50" },
      send: (t) => (t === "roster" ? trpcGet("members.list", { tenant, sort: "createdAt", direction: "desc", page: 1, pageSize: 50 }) : floorGet(`/members?tenant=${tenant}&page=1&pageSize=50`)),
      check: trpcOk("members.list"),
    },
    {
      id: "search", budget: { statements: 3, ratio: 3 }, c16: true,
      request: { roster: `GET /api/trpc/members.list {tenant,search:"mar",sort:createdAt,direction:desc,pageSize:50}`, floor: "GET /members?search=mar" },
      send: (t) => (t === "roster" ? trpcGet("members.list", { tenant, search: "mar", sort: "createdAt", direction: "desc", page: 1, pageSize: 50 }) : floorGet(`/members?tenant=${tenant}&search=mar&page=1&pageSize=50`)),
      check: trpcOk("members.list"),
    },
    {
      id: "permission-check", budget: { statements: 3, ratio: 3, c16Ratio: 0.5 }, c16: true,
      request: { roster: "GET /api/trpc/tenants.current {tenant}", floor: "GET /current" },
      send: (t) => (t === "roster" ? trpcGet("tenants.current", { tenant }) : floorGet(`/current?tenant=${tenant}`)),
      check: trpcOk("tenants.current"),
    },
    {
      id: "rest-company-users", budget: { ratio: 3 }, c16: true, reps: Math.min(REPS, 15),
      request: { roster: `GET /api/v1/company/{HQ}/users (all ${N})`, floor: "GET /rest/company/{HQ}/users" },
      send: (t) => (t === "roster" ? http.roster.request("GET", `/api/v1/company/${s.hqId}/users`, { headers: restHeaders }) : http.floor.request("GET", `/rest/company/${s.hqId}/users`, { headers: restHeaders })),
      check: (r) => {
        expectStatus(r, (x) => x === 200, "company users");
        const count = (JSON.parse(r.body) as { meta?: { count?: number } }).meta?.count;
        if (count !== undefined && count < N) throw new Error(`company users listed ${count} of ${N}`);
      },
    },
    {
      id: "rest-members-active", budget: {}, c16: true, reps: Math.min(REPS, 15),
      request: { roster: "GET /api/v1/tenants/members/active", floor: "GET /rest/members/active" },
      send: (t) => (t === "roster" ? http.roster.request("GET", "/api/v1/tenants/members/active", { headers: restHeaders }) : http.floor.request("GET", "/rest/members/active", { headers: restHeaders })),
      check: (r) => {
        expectStatus(r, (x) => x === 200, "members/active");
        const body = JSON.parse(r.body) as unknown;
        const rows = Array.isArray(body) ? body : (body as { data?: unknown[] }).data;
        if (!Array.isArray(rows) || rows.length < N) throw new Error(`members/active listed ${Array.isArray(rows) ? rows.length : "no array"} of ${N}: ${r.body.slice(0, 300)}`);
      },
    },
    {
      id: "invite", budget: { statements: 8, ratio: 3 },
      request: { roster: "POST /api/trpc/invitations.create {tenant,email,roles:[worker]}", floor: "POST /invite" },
      send: (t, i) => (t === "roster" ? trpcPost("invitations.create", { tenant, email: s.invitees.roster[i], roles: ["worker"] }) : floorPost("/invite", { tenant, email: s.invitees.floor[i] })),
      check: (r, t) => {
        if (t === "roster") invited.roster.push(trpcData<{ invitation: { id: number } }>(r, "invitations.create").invitation.id);
        else invited.floor.push((JSON.parse(expectStatus(r, (x) => x === 200, "floor invite").body) as { id: number }).id);
      },
    },
    {
      id: "accept", budget: { statements: 8, ratio: 3 },
      request: { roster: "POST /api/trpc/invitations.acceptMine {id} (as the invitee)", floor: "POST /accept {id}" },
      prepare: async (t, i) => {
        inviteeSession[t][i] = t === "roster" ? (await signInRoster(http.roster, s.invitees.roster[i]!, s.password)).cookie : await floorSignIn(s.invitees.floor[i]!);
      },
      send: (t, i) => (t === "roster" ? trpcPost("invitations.acceptMine", { id: invited.roster[i] }, inviteeSession.roster[i]) : floorPost("/accept", { id: invited.floor[i] }, inviteeSession.floor[i])),
      check: trpcOk("invitations.acceptMine"),
    },
    {
      id: "role-change", budget: { statements: 6, ratio: 3 },
      request: { roster: "POST /api/trpc/members.setRoles {tenant,id,roles,hasFullAccess:false}", floor: "POST /setRoles" },
      send: (t, i) => {
        const body = { tenant, id: s.roleTarget[t].membershipId, roles: [i % 2 ? "worker" : "manager"], hasFullAccess: false };
        return t === "roster" ? trpcPost("members.setRoles", body) : floorPost("/setRoles", body);
      },
      check: trpcOk("members.setRoles"),
    },
    {
      id: "removal", budget: { statements: 6, ratio: 3 },
      request: { roster: "POST /api/trpc/members.remove {tenant,id}", floor: "POST /remove" },
      send: (t, i) => (t === "roster" ? trpcPost("members.remove", { tenant, id: victim(t, i).membershipId }) : floorPost("/remove", { tenant, id: victim(t, i).membershipId })),
      check: trpcOk("members.remove"),
    },
    {
      id: "copy-1000", budget: { statements: 8, ratio: 3 }, reps: Math.min(REPS, 10),
      request: { roster: "POST /api/trpc/access.copyToUnits {tenant,unitId,userId,links×1000}", floor: "POST /copy" },
      prepare: async (t) => trpcOk("access.removeFromUnits")(await trpcBack(t), t),
      send: trpcCopy,
      check: trpcOk("access.copyToUnits"),
    },
    {
      id: "back-1000", budget: { statements: 8, ratio: 3 }, reps: REPS,
      request: { roster: "POST /api/trpc/access.removeFromUnits {tenant,unitId,userId,links×1000}", floor: "POST /uncopy" },
      prepare: async (t) => trpcOk("access.copyToUnits")(await trpcCopy(t), t),
      send: trpcBack,
      check: trpcOk("access.removeFromUnits"),
    },
    {
      id: "sign-in", budget: { statements: 6 },
      request: { roster: "POST /api/auth/callback/credentials (form, after GET /api/auth/csrf)", floor: "POST /signin" },
      prepare: async (t, i) => {
        if (t === "roster") signInCsrf[i] = await csrfOf(http.roster);
      },
      send: (t, i) =>
        t === "roster"
          ? signInPost(http.roster, signInCsrf[i]!.jar, signInCsrf[i]!.csrfToken, s.ownerEmail, s.password)
          : http.floor.request("POST", "/signin", { headers: { "content-type": "application/json" }, body: JSON.stringify({ email: s.ownerEmail, password: s.password }) }),
      check: (r, t) => {
        if (t === "roster" && !(r.headers["set-cookie"] ?? []).some((c) => c.includes("session-token"))) throw new Error(`sign-in set no session cookie (HTTP ${r.status}) ${r.body.slice(0, 200)}`);
        if (t === "floor") ok2xx("floor sign-in")(r);
      },
    },
    {
      id: "rest-invite", budget: { statements: 8, ratio: 3 },
      request: { roster: "POST /api/v1/tenants/members/invite {email,sendEmail:true}", floor: "POST /rest/members/invite" },
      send: (t, i) => {
        const email = s.invitees[t][perTarget + i]!;
        return t === "roster"
          ? http.roster.request("POST", "/api/v1/tenants/members/invite", { headers: { ...restHeaders, "content-type": "application/json" }, body: JSON.stringify({ email, sendEmail: true }) })
          : floorPost("/rest/members/invite", { email }, "", { authorization: bearer });
      },
      check: ok2xx("REST invite"),
    },
    {
      id: "rest-removal", budget: { statements: 6, ratio: 3 },
      request: { roster: "GET /api/v1/tenants/members/remove/{email}", floor: "GET /rest/members/remove/{email}" },
      send: (t, i) => {
        const email = encodeURIComponent(victim(t, i, true).email);
        return t === "roster" ? http.roster.request("GET", `/api/v1/tenants/members/remove/${email}`, { headers: restHeaders }) : http.floor.request("GET", `/rest/members/remove/${email}`, { headers: restHeaders });
      },
      check: ok2xx("REST remove"),
    },
    {
      id: "rest-copy-1000", budget: { statements: 8, ratio: 3 }, reps: Math.min(REPS, 10),
      request: { roster: "POST /api/v1/company/{HQ}/users/{id}/copy_to_companies (×1000)", floor: "POST /rest/company/{HQ}/users/{id}/copy_to_companies" },
      prepare: async (t) => ok2xx("REST remove_from_companies")(await restBack(t)),
      send: restCopy,
      check: ok2xx("REST copy"),
    },
    {
      id: "rest-back-1000", budget: { statements: 8, ratio: 3 }, reps: REPS,
      request: { roster: "POST /api/v1/company/{HQ}/users/{id}/remove_from_companies (×1000)", floor: "POST /rest/company/{HQ}/users/{id}/remove_from_companies" },
      prepare: async (t) => ok2xx("REST copy")(await restCopy(t)),
      send: restBack,
      check: ok2xx("REST remove_from_companies"),
    },
  ];

  const results: OpResult[] = [];
  for (const op of ops) {
    if (ONLY && !ONLY.has(op.id)) continue;
    if (Date.now() > runDeadline) {
      log(`--time-limit reached: skipping ${op.id} and the rest`);
      break;
    }
    const t0 = Date.now();
    results.push(await measure(op, byName));
    log(`${op.id}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }

  const extras = await measurePageTtfb(http.roster, owner, tenant);
  const bundles = firstLoadJs(path.join(ROOT, distDir), ROOT);
  const serverLog = path.join(scratch, "roster-server.log");
  fs.writeFileSync(serverLog, roster.output());
  await cleanup();
  http.roster.close();
  http.floor.close();
  report({ results, seed: s, db: db.describe, ttfb: extras, bundles });
  // The scratch directory holds the generated CSV and the server's log: the log stays only when it explains errors.
  fs.rmSync(path.join(scratch, "people.csv"), { force: true });
  if (!results.some((o) => o.errors.length || o.c16.roster?.errors)) fs.rmSync(scratch, { recursive: true, force: true });
  else log(`the Roster server's output (for the errors above): ${serverLog}`);
  if (args.json) {
    fs.writeFileSync(args.json, JSON.stringify({ members: N, database: db.describe, seed: { ...s, invitees: undefined, victims: undefined, partnerToken: undefined, userToken: undefined }, results, ttfb: extras, bundles }, null, 2));
    log(`raw results written to ${args.json}`);
  }
}

let c16Round = 0;

/** c=1 (alternating order per repetition, statement deltas) then, for read operations, c=16 throughput. */
async function measure(op: Op, byName: Record<TargetName, Target>): Promise<OpResult> {
  const res: OpResult = { id: op.id, request: op.request, c1: { roster: [], floor: [] }, c16: { roster: null, floor: null }, budget: op.budget, errors: [], partial: false, bytes: { roster: 0, floor: 0 } };
  // The previous operation's background work (the emails of invites and accepts, run by the job worker) would
  // otherwise land in this one's statement counts and compete for the CPU: start from a quiet server.
  await settle(byName.roster, op.id);
  const deadline = Math.min(Date.now() + OP_MS, runDeadline);
  let warmup = WARMUP;
  const reps = () => (op.reps ?? REPS) + warmup;
  log(`${op.id}: c=1 × ${reps()}`);
  const profileDir = args.profile ? path.resolve(args.profile) : null;
  if (profileDir) {
    fs.mkdirSync(profileDir, { recursive: true });
    await byName.roster.profile("start");
  }
  outer: for (let i = 0; i < reps(); i++) {
    const order: TargetName[] = i % 2 === 0 ? ["floor", "roster"] : ["roster", "floor"];
    // Checked per repetition, not per request: a repetition always measures both targets.
    if (Date.now() > deadline) {
      res.partial = true;
      log(`${op.id}: time limit reached after ${i} repetitions`);
      break;
    }
    for (const t of order) {
      try {
        await op.prepare?.(t, i);
        const target = byName[t];
        const before = await target.statements();
        const r = await op.send(t, i);
        const after = await target.statements();
        // Async work the request left running (or the job worker's poll) shows up as a change after a short settle.
        await new Promise((x) => setTimeout(x, 5));
        const settled = await target.statements();
        op.check(r, t);
        res.bytes[t] = Buffer.byteLength(r.body);
        if (i >= warmup) res.c1[t].push({ ms: r.ms, statements: after - before, late: settled - after });
        // A request that takes seconds needs no warming up: spend the operation's time on measured requests.
        else if (r.ms > 2_000 && warmup > i + 1) warmup = i + 1;
      } catch (e) {
        res.errors.push(`${t}#${i}: ${(e as Error).message}`);
        if (res.errors.length >= 3) {
          log(`${op.id}: giving up after errors: ${res.errors.join(" | ")}`);
          break outer;
        }
      }
    }
  }
  if (profileDir) await byName.roster.profile("stop", path.join(profileDir, `${op.id}.cpuprofile`));
  // c=16 gets its own window per target (not the c=1 deadline), so a slow target cannot leave the other none.
  if (op.c16 && Date.now() < runDeadline && res.errors.length === 0) {
    const order: TargetName[] = c16Round++ % 2 === 0 ? ["floor", "roster"] : ["roster", "floor"];
    for (const t of order) {
      res.c16[t] = await concurrent(() => op.send(t, 0), (r) => op.check(r, t), C16_REQUESTS, Math.min(runDeadline, Date.now() + C16_MS));
      log(`${op.id}: c=16 ${t} ${res.c16[t]!.rps.toFixed(1)} req/s`);
      await settle(byName[t], op.id);
    }
  }
  return res;
}

/**
 * Waits until a target has finished the requests its c=16 clients gave up on (timeouts, 503s): they keep the server
 * and the database busy, and would otherwise be measured as part of the next operation. Settled means no new
 * statement for 3 s (at most 60 s).
 */
async function settle(target: Target, id: string): Promise<void> {
  const until = Math.min(runDeadline, Date.now() + 60_000);
  let last = await target.statements().catch(() => NaN);
  let stableSince = Date.now();
  while (Date.now() < until && Date.now() - stableSince < 3_000) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await target.statements().catch(() => NaN);
    // The job worker's poll (one statement every few seconds) is not work left behind.
    if (!(now - last <= 1)) stableSince = Date.now();
    last = now;
  }
  if (Date.now() - stableSince < 3_000) log(`${id}: ${target.name} still busy after 60 s`);
}

async function concurrent(send: () => Promise<Reply>, check: (r: Reply) => void, total: number, deadline: number) {
  const times: number[] = [];
  const errors: string[] = [];
  let next = 0;
  const t0 = Date.now();
  const worker = async () => {
    // A refusal under load (503, 429) or a timeout is counted, never thrown: throughput counts answered requests.
    while (next < total && Date.now() < deadline && errors.length < 16) {
      next++;
      try {
        const r = await send();
        check(r);
        times.push(r.ms);
      } catch (e) {
        errors.push((e as Error).message.slice(0, 200));
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  const seconds = (Date.now() - t0) / 1000;
  return { requests: times.length, errors: errors.length, firstError: errors[0] ?? null, seconds, rps: times.length / seconds, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99) };
}

async function measurePageTtfb(c: Client, cookie: string, tenant: string) {
  const ttfb: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < 13 && Date.now() < runDeadline; i++) {
    const r = await c.request("GET", `/t/${tenant}/members`, { headers: { cookie, accept: "text/html" } });
    if (r.status !== 200) return { error: `GET /t/${tenant}/members: HTTP ${r.status}`, ttfbP50: NaN, totalP50: NaN, samples: 0 };
    if (i >= 3) {
      ttfb.push(r.ttfbMs);
      total.push(r.ms);
    }
  }
  return { error: null as string | null, ttfbP50: percentile(ttfb, 50), totalP50: percentile(total, 50), samples: ttfb.length };
}

function report(r: { results: OpResult[]; seed: Seed; db: string; ttfb: Awaited<ReturnType<typeof measurePageTtfb>>; bundles: RouteBundle[] | { error: string } }) {
  const mark = (pass: boolean | null) => (pass === null ? "" : pass ? "✓" : "✗ FAIL");
  const rows = r.results.map((o) => {
    const rt = o.c1.roster.map((x) => x.ms);
    const fl = o.c1.floor.map((x) => x.ms);
    const p50r = percentile(rt, 50);
    const p50f = percentile(fl, 50);
    const ratio = p50r / p50f;
    const stR = mode(o.c1.roster.map((x) => x.statements));
    const stF = mode(o.c1.floor.map((x) => x.statements));
    const maxR = Math.max(...o.c1.roster.map((x) => x.statements));
    const c16r = o.c16.roster?.rps ?? NaN;
    const c16f = o.c16.floor?.rps ?? NaN;
    const stPass = o.budget.statements === undefined || !Number.isFinite(stR) ? null : stR <= o.budget.statements;
    const ratioPass = o.budget.ratio === undefined || !Number.isFinite(ratio) ? null : ratio <= o.budget.ratio;
    const c16Pass = o.budget.c16Ratio === undefined || !Number.isFinite(c16r / c16f) ? null : c16r / c16f >= o.budget.c16Ratio;
    const budgets = [
      o.budget.statements !== undefined ? `stmts ≤ ${o.budget.statements} ${mark(stPass)}` : "",
      o.budget.ratio !== undefined ? `p50 ≤ ${o.budget.ratio}× ${mark(ratioPass)}` : "",
      o.budget.c16Ratio !== undefined ? `c16 ≥ ${o.budget.c16Ratio}× ${mark(c16Pass)}` : "",
    ].filter(Boolean).join("; ");
    return [
      o.id + (o.partial ? " (partial)" : "") + (o.errors.length ? ` (${o.errors.length} errors)` : ""),
      `${rt.length}/${fl.length}`,
      `${fmtMs(percentile(fl, 50))} / ${fmtMs(percentile(fl, 95))} / ${fmtMs(percentile(fl, 99))}`,
      `${fmtMs(p50r)} / ${fmtMs(percentile(rt, 95))} / ${fmtMs(percentile(rt, 99))}`,
      fmtRatio(ratio),
      o.c16.roster ? `${fmtRate(c16r)} / ${fmtRate(c16f)} (${fmtRatio(c16r / c16f)})${o.c16.roster.errors || o.c16.floor?.errors ? ` ${o.c16.roster.errors}/${o.c16.floor?.errors ?? 0} failed` : ""}` : "–",
      `${Number.isFinite(stR) ? stR : "–"}${Number.isFinite(maxR) && maxR !== stR ? ` (max ${maxR})` : ""} / ${Number.isFinite(stF) ? stF : "–"}`,
      budgets || "–",
    ];
  });
  const out: string[] = [];
  out.push(`\nRoster vs floor — ${r.seed.members} members, ${r.db}`);
  out.push(`Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), load average ${loadAtStart.toFixed(1)} at the start and ${os.loadavg()[0]!.toFixed(1)} at the end (anything above the CPU count means other work competed); seed: ${r.seed.seedMs.importPath}, ${(r.seed.seedMs.members / 1000).toFixed(1)} s`);
  const imp = r.seed.importMs;
  const rate = imp.floor / imp.service;
  out.push(`Import of ${r.seed.members} members: members:import ${(imp.service / 1000).toFixed(2)} s in the service (${(imp.cli / 1000).toFixed(1)} s with the CLI process's start), the floor's one multi-row statement ${(imp.floor / 1000).toFixed(2)} s: Roster's rate ${fmtRatio(rate)} the floor's (target ≥ 0.5× ${mark(rate >= 0.5)})`);
  out.push(`c=1: n measured requests per target (Roster/floor) after up to ${WARMUP} warm-ups, target order alternating per repetition; times in ms.`);
  out.push(`Statements: the most frequent per-request count at c=1 (max shown when a request saw more: the job worker's poll can fall into a request).\n`);
  out.push(table(["operation", "n R/F", "floor p50 / p95 / p99", "Roster p50 / p95 / p99", "Roster ÷ floor (p50)", "c=16 req/s Roster / floor", "SQL stmts / request Roster / floor", "budget"], rows));
  out.push("\nRequests sent:");
  const kb = (n: number) => (n >= 10_240 ? `${(n / 1024).toFixed(0)} kB` : `${n} B`);
  for (const o of r.results) out.push(`  ${o.id.padEnd(20)} Roster: ${o.request.roster} → ${kb(o.bytes.roster)}\n  ${"".padEnd(20)} floor:  ${o.request.floor} → ${kb(o.bytes.floor)}`);
  const errs = r.results.filter((o) => o.errors.length || o.c16.roster?.errors || o.c16.floor?.errors);
  if (errs.length) {
    out.push("\nErrors:");
    for (const o of errs) {
      if (o.errors.length) out.push(`  ${o.id}: ${o.errors.slice(0, 3).join(" | ")}`);
      for (const t of ["roster", "floor"] as const) {
        const c = o.c16[t];
        if (c?.errors) out.push(`  ${o.id} c=16 ${t}: ${c.errors} failed requests, first: ${c.firstError}`);
      }
    }
  }
  const late = r.results.filter((o) => o.c1.roster.some((x) => x.late > 0));
  if (late.length) out.push(`\nStatements after the response (async work or the job worker's poll, not counted): ${late.map((o) => `${o.id} ${o.c1.roster.filter((x) => x.late > 0).length}/${o.c1.roster.length}`).join(", ")}`);
  out.push(`\nServer-rendered members page GET /t/${r.seed.slug}/members (signed in): ${r.ttfb.error ?? `TTFB p50 ${fmtMs(r.ttfb.ttfbP50)} ms, complete ${fmtMs(r.ttfb.totalP50)} ms (${r.ttfb.samples} samples)`} ${r.ttfb.error ? "" : `(target < 100 ms ${mark(r.ttfb.ttfbP50 < 100)})`}`);
  if ("error" in r.bundles) out.push(`First-load JS: ${r.bundles.error}`);
  else {
    out.push("\nFirst-load JS per admin route (gzip of the route's first-load chunks; target < 200 kB):");
    out.push(table(["route", "gzip kB", "raw kB", ""], r.bundles.map((b) => [b.route, (b.gzipBytes / 1024).toFixed(1), (b.rawBytes / 1024).toFixed(1), mark(b.gzipBytes < 200 * 1024)])));
  }
  if (args.baseline) out.push(scaling(r.results, args.baseline));
  process.stdout.write(out.join("\n") + "\n");
}

/** Roster's p50 per operation against an earlier run's (its --json file). */
function scaling(results: OpResult[], file: string): string {
  let base: { members: number; results: OpResult[] };
  try {
    base = JSON.parse(fs.readFileSync(file, "utf8")) as typeof base;
  } catch (e) {
    return `\nScaling: cannot read --baseline ${file}: ${(e as Error).message}`;
  }
  const rows = results.flatMap((o) => {
    const b = base.results.find((x) => x.id === o.id);
    if (!b) return [];
    const now = percentile(o.c1.roster.map((x) => x.ms), 50);
    const then = percentile(b.c1.roster.map((x) => x.ms), 50);
    const ratio = now / then;
    return [[o.id, fmtMs(then), fmtMs(now), fmtRatio(ratio), Number.isFinite(ratio) ? (ratio <= 1.5 ? "✓" : "✗ FAIL") : ""]];
  });
  return `\nScaling: Roster p50 at ${N} members against ${base.members} (${file}; target ≤ 1.5×, listing everything excepted):\n` +
    table(["operation", `p50 at ${base.members}`, `p50 at ${N}`, "ratio", ""], rows);
}

main().catch(async (e: unknown) => {
  if (interrupted) return;
  log(`failed: ${(e as Error)?.stack ?? String(e)}`);
  for (const t of targets) log(`${t.name} output (tail):\n${t.output().slice(-3000)}`);
  await cleanup();
  process.exit(1);
});
