/**
 * Input sweep (issue 9, "Guarantees: Input" and "Enumeration"): every tRPC procedure (inventory read from the
 * router) refuses an unknown key, `__proto__` and `constructor` keys, and a 100 000-character string in each of its
 * string fields with 400/422, never 500 and with nothing written; operator objects (`{ "contains": "" }`) where a
 * string belongs, batches over their limits, and REST bodies over 1 MB (413) likewise. The source holds no raw
 * unsafe SQL. An unknown tenant slug and a closed tenant look the same on the join procedures, and an unknown
 * invitation link looks the same as a spent one.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { newSecret, SECRET_PREFIX } from "../../server/auth/secrets.ts";
import { acceptInvitation } from "../../server/services/invitations/accept-invitation.ts";
import { handleTrpcRequest } from "../../server/trpc/http.ts";
import { useTestDb } from "../helpers/db.ts";
import { createTenantWithOwner, signIn, systemActor, TEST_META, uniqueEmail } from "../helpers/factories.ts";
import { createAccount, inviteWithLink } from "../helpers/invitation-factories.ts";
import {
  callProcedure, callRest, missingCases, normalise, outcome, restRoutes, ROOT, sourceFiles, staleCases, trpcProcedures, type Outcome, type RestRouteInfo,
} from "../helpers/sweep-inventory.ts";
import { fingerprint, sweepWorld, type SweepWorld } from "../helpers/sweep-world.ts";

const CASE_FILE = "tests/integration/sweep-input.test.ts";
const t = useTestDb();
let w: SweepWorld;
beforeAll(async () => {
  w = await sweepWorld(t.db);
}, 120_000);

const A = () => w.a;
const T = () => ({ tenant: w.a.tenant.slug });
const victim = () => ({ ...T(), id: A().victim.membershipId });
const atUnit = () => ({ ...T(), unitId: A().units.u1.id, userId: A().victim.user.id });
const NO_INPUT = "takes no input";

/** A valid input per procedure (as A's owner); the sweep breaks it one way at a time. */
export const INPUTS: Record<string, (() => Record<string, unknown>) | typeof NO_INPUT> = {
  "tenants.list": NO_INPUT,
  "tenants.current": T,
  "tenants.overview": T,
  "account.me": NO_INPUT,
  "account.sessions": NO_INPUT,
  "account.revokeSession": () => ({ id: 2_000_000_000 }),
  "account.revokeOtherSessions": NO_INPUT,
  "account.reauthenticate": () => ({ password: "not-the-password" }),
  "account.twoFactor": NO_INPUT,
  "account.startTwoFactor": NO_INPUT,
  "account.enableTwoFactor": () => ({ code: "000000" }),
  "account.disableTwoFactor": NO_INPUT,
  "account.regenerateRecoveryCodes": NO_INPUT,
  "account.verifyEmail": () => ({ token: "rs_ve_not-a-real-token" }),
  "account.requestVerificationEmail": () => ({ email: uniqueEmail("verify") }),
  "account.resendVerificationEmail": NO_INPUT,
  "account.requestPasswordReset": () => ({ email: uniqueEmail("reset") }),
  "account.checkResetToken": () => ({ token: "rs_pr_not-a-real-token" }),
  "account.resetPassword": () => ({ token: "rs_pr_not-a-real-token", password: "a-long-enough-password-1" }),
  "account.changePassword": () => ({ currentPassword: "not-the-password", newPassword: "a-long-enough-password-1" }),
  "account.removeAvatar": NO_INPUT,
  "account.updateProfile": () => ({ firstName: "Input", lastName: "Sweep", displayName: "", language: "en" }),
  "members.list": () => ({ ...T(), search: "a" }),
  "members.filterOptions": T,
  "members.get": victim,
  "members.updateProfile": () => ({ ...victim(), firstName: "Input" }),
  "members.setRoles": () => ({ ...victim(), roles: ["worker"], hasFullAccess: false }),
  "members.suspend": victim,
  "members.reactivate": victim,
  "members.remove": victim,
  "members.leave": T,
  "units.list": T,
  "units.users": () => ({ ...T(), unitId: A().units.u1.id }),
  "units.create": () => ({ ...T(), name: "Input unit", kind: "LOCATION" }),
  "units.rename": () => ({ ...T(), unitId: A().units.u3.id, name: "Renamed" }),
  "units.archive": () => ({ ...T(), unitId: A().units.u3.id }),
  "units.restore": () => ({ ...T(), unitId: A().units.u3.id }),
  "access.get": atUnit,
  "access.update": () => ({ ...atUnit(), permissions: [{ slug: "timetable_access", value: true }] }),
  "access.removeFromUnit": atUnit,
  "access.copyToUnits": () => ({ ...atUnit(), links: [{ unitId: A().units.u3.id }] }),
  "access.removeFromUnits": () => ({ ...atUnit(), links: [{ unitId: A().units.u2.id }] }),
  "roles.list": T,
  "roles.create": () => ({ ...T(), slug: "input-role", title: "Input", weight: 10 }),
  "roles.update": () => ({ ...T(), slug: A().customRole.slug, title: "Renamed" }),
  "roles.delete": () => ({ ...T(), slug: A().customRole.slug }),
  "roles.createRight": () => ({ ...T(), slug: "input_right", category: "custom", title: "Input", type: "BOOLEAN", defaultValue: false }),
  "invitations.create": () => ({ ...T(), email: uniqueEmail("input"), sendEmail: false, name: "Input", message: "Hello" }),
  "invitations.createMany": () => ({ ...T(), items: [{ email: uniqueEmail("input"), sendEmail: false }] }),
  "invitations.inviteEmails": () => ({ ...T(), emails: uniqueEmail("input"), message: "Hello" }),
  "invitations.resend": () => ({ ...T(), ref: { email: A().invitation.email } }),
  "invitations.cancel": () => ({ ...T(), ref: { email: A().invitation.email } }),
  "invitations.listPending": T,
  "invitations.preview": () => ({ rawToken: A().invitation.token }),
  "invitations.accept": () => ({ rawToken: A().invitation.token }),
  "invitations.decline": () => ({ rawToken: A().invitation.token }),
  "invitations.mine": NO_INPUT,
  "invitations.acceptMine": () => ({ id: A().invitation.id }),
  "invitations.declineMine": () => ({ id: A().invitation.id }),
  "joinRequests.landing": T,
  "joinRequests.create": () => ({ tenant: w.b.tenant.slug, message: "Let me in" }),
  "joinRequests.signUp": () => ({ tenant: w.b.tenant.slug, email: uniqueEmail("input"), password: "a-long-enough-password-1", firstName: "In", lastName: "Put", message: "Hi" }),
  "joinRequests.listPending": T,
  "joinRequests.accept": () => ({ ...T(), id: A().request.id }),
  "joinRequests.deny": () => ({ ...T(), id: A().request.id }),
  "settings.get": T,
  "settings.update": () => ({ ...T(), invitationTtlDays: 9 }),
  "tokens.list": T,
  "tokens.create": () => ({ ...T(), kind: "personal", name: "input" }),
  "tokens.revoke": () => ({ ...T(), id: A().partnerTokenId }),
  "audit.list": () => ({ ...T(), action: "member." }),
  "audit.actors": () => ({ ...T(), query: "a" }),
};

/** Refused as bad input, or (for a tenant slug that cannot exist) as not found: never answered, never a 500. */
const REFUSED = ["BAD_REQUEST", "UNPROCESSABLE_CONTENT", "PAYLOAD_TOO_LARGE", "NOT_FOUND"];
const expectRefused = (o: Outcome, label: string, codes = ["BAD_REQUEST", "UNPROCESSABLE_CONTENT"]) => {
  expect(o, `${label} must be refused`).toMatchObject({ ok: false });
  if (!o.ok) expect(codes, `${label}: ${o.code} ${o.message}`).toContain(o.code);
};
/** Every tenant the world has: a refusal must leave all of them as they were (the joinRequests cases ask B). */
const snapshot = async () => [await fingerprint(t.db, w.a.tenant.id), await fingerprint(t.db, w.b.tenant.id), await t.db.user.count()];

const procedures = trpcProcedures();
const BIG = "x".repeat(100_000);

describe("input: every tRPC procedure", () => {
  it("should have an input case for every procedure of the app router, and none for a procedure that is gone", () => {
    expect(missingCases(procedures.map((p) => ({ key: p.path, where: p.file })), INPUTS, CASE_FILE)).toEqual([]);
    expect(staleCases(procedures.map((p) => ({ key: p.path })), INPUTS)).toEqual([]);
  });

  for (const proc of procedures) {
    it(`${proc.path} - refuses unknown, __proto__ and constructor keys and 100 000-character strings; writes nothing`, async () => {
      const base = INPUTS[proc.path];
      if (!base) throw new Error(`${proc.path} (${proc.file}) has no input case: add one to INPUTS in ${CASE_FILE}`);
      if (base === NO_INPUT) return void expect(proc.hasInput, `${proc.path} declares an input: give it an input case`).toBe(false);
      expect(proc.hasInput, `${proc.path} takes no input: mark it NO_INPUT`).toBe(true);
      const caller = w.a.people.owner.caller;
      const before = await snapshot();
      const call = (input: unknown) => outcome(callProcedure(caller, proc.path, input));

      expectRefused(await call({ ...base(), unexpectedKey: true }), `${proc.path} with an unknown key`);
      // JSON.parse makes `__proto__` an own key, as a request body would; it must be refused, never merged.
      for (const key of ["__proto__", "constructor"]) {
        const polluted = JSON.parse(JSON.stringify(base()).replace(/^\{/, `{"${key}":{"polluted":true,"prototype":{"polluted":true}},`));
        expectRefused(await call(polluted), `${proc.path} with a "${key}" key`);
      }
      expect(({} as Record<string, unknown>).polluted, "Object.prototype was polluted").toBeUndefined();

      const input = base();
      for (const [key, value] of Object.entries(input)) {
        if (typeof value !== "string" || key === "tenant") continue;
        expectRefused(await call({ ...input, [key]: BIG }), `${proc.path} with a 100 000-character ${key}`, REFUSED);
      }
      expect(await snapshot(), `${proc.path}: a refused input wrote something`).toEqual(before);
    });
  }
});

describe("input: operator objects and batches over the limits", () => {
  const cases: { label: string; proc: string; input: () => Record<string, unknown>; codes?: string[] }[] = [
    { label: "an operator object as the search", proc: "members.list", input: () => ({ ...T(), search: { contains: "" } }) },
    { label: "an operator object as the invitee's email", proc: "invitations.create", input: () => ({ ...T(), email: { contains: "" }, sendEmail: false }) },
    { label: "an operator object in an invitation ref", proc: "invitations.resend", input: () => ({ ...T(), ref: { email: { contains: "" } } }) },
    { label: "an operator object as an id", proc: "members.get", input: () => ({ ...T(), id: { gt: 0 } }) },
    // The tenant step answers a slug it cannot read like an unknown one (nobody learns which slugs exist).
    { label: "an operator object as the tenant", proc: "members.list", input: () => ({ tenant: { contains: "" } }), codes: ["NOT_FOUND"] },
    { label: "an operator object as an audit filter", proc: "audit.list", input: () => ({ ...T(), targetId: { not: "" } }) },
    { label: "1001 invitations in a batch", proc: "invitations.createMany", input: () => ({ ...T(), items: Array.from({ length: 1001 }, () => ({ email: uniqueEmail("batch"), sendEmail: false })) }) },
    { label: "101 pasted addresses", proc: "invitations.inviteEmails", input: () => ({ ...T(), emails: Array.from({ length: 101 }, () => uniqueEmail("paste")).join("\n") }) },
    { label: "1001 copy targets", proc: "access.copyToUnits", input: () => ({ ...atUnit(), links: Array.from({ length: 1001 }, () => ({ unitId: A().units.u3.id })) }) },
    { label: "1001 remove targets", proc: "access.removeFromUnits", input: () => ({ ...atUnit(), links: Array.from({ length: 1001 }, () => ({ unitId: A().units.u2.id })) }) },
    { label: "1001 permission values", proc: "access.update", input: () => ({ ...atUnit(), permissions: Array.from({ length: 1001 }, () => ({ slug: "timetable_access", value: true })) }) },
    { label: "1001 role defaults", proc: "roles.create", input: () => ({ ...T(), slug: "batch-role", title: "B", weight: 5, defaults: Array.from({ length: 1001 }, () => ({ slug: "timetable_access", value: true })) }) },
    { label: "21 tenant roles", proc: "members.setRoles", input: () => ({ ...victim(), roles: Array.from({ length: 21 }, () => "worker"), hasFullAccess: false }) },
  ];
  for (const c of cases) {
    it(`${c.proc} - refuses ${c.label} with 400/422 and writes nothing`, async () => {
      const before = await snapshot();
      expectRefused(await outcome(callProcedure(w.a.people.owner.caller, c.proc, c.input())), `${c.proc} with ${c.label}`, c.codes);
      expect(await snapshot()).toEqual(before);
    });
  }
});

let routes: RestRouteInfo[] = [];
routes = await restRoutes();
/**
 * Whether a route reads a body, read from its source: the route file re-exports a handler of server/rest/routes
 * (`export { name as METHOD } from "@/server/rest/routes/x.ts"`), defined there as `export const name =
 * seed00xRoute<...>({ body: true }, ...)`.
 */
const readsBody = (r: RestRouteInfo) => {
  const reexport = new RegExp(`(\\w+) as ${r.method}\\b[^}]*\\} from "@/([^"]+)"`).exec(fs.readFileSync(path.join(ROOT, r.file), "utf8"));
  if (!reexport) throw new Error(`${r.file}: no re-export of ${r.method} from server/rest/routes`);
  const source = fs.readFileSync(path.join(ROOT, reexport[2]!), "utf8");
  const definition = new RegExp(`export const ${reexport[1]} = seed\\d+Route(?:<[^>]*>)?\\((\\{[^}]*\\})`).exec(source);
  if (!definition) throw new Error(`${reexport[2]}: no seed route definition of ${reexport[1]}`);
  return /body:\s*true/.test(definition[1]!);
};
const MISSING = "2000000000";
const paramsFor = (pattern: string) =>
  Object.fromEntries([...pattern.matchAll(/\[([^\]]+)\]/g)].map(([, name]) => [name!, name === "email" ? uniqueEmail("nobody") : MISSING]));
/** Partner-only routes get A's partner token, seed 003 routes the owner's user token, seed 000 routes the pair. */
const authFor = (r: RestRouteInfo) =>
  ["/api/v1/auth", "/api/v1/tenants/members/request"].includes(r.pattern) ? `Bearer ${w.a.partner.token}`
    : r.pattern.startsWith("/api/v1/tenants") ? w.a.people.owner.bearer : w.a.people.owner.pair;

describe("input: REST bodies", () => {
  it("should find the body-reading routes in the route files", () => {
    expect(routes.filter(readsBody).map((r) => r.key)).toEqual(expect.arrayContaining(["POST /api/v1/tenants/members/invite", "PUT /api/v1/company/[location_id]/users/[user_id]/permissions"]));
  });

  for (const route of routes.filter((r) => r.method !== "GET")) {
    it(`${route.key} - a body over 1 MB is 413 (or ignored by a route without a body), never 500, nothing written`, async () => {
      const before = await snapshot();
      const huge = JSON.stringify({ padding: "x".repeat(1_100_000) });
      const res = await callRest(route, { authorization: authFor(route), params: paramsFor(route.pattern), rawBody: huge });
      if (readsBody(route)) expect(res.status, `${route.key}: ${JSON.stringify(res.body)}`).toBe(413);
      else expect(res.status).toBeLessThan(500);
      expect(await snapshot()).toEqual(before);
    });
  }

  const bodyCases: { key: string; label: string; params?: () => Record<string, string>; rawBody: () => string; status: number[] }[] = [
    { key: "POST /api/v1/tenants/members/invite", label: "an operator object as the email", rawBody: () => JSON.stringify({ email: { contains: "" }, sendEmail: false }), status: [422] },
    { key: "POST /api/v1/tenants/members/invite", label: "a __proto__ key", rawBody: () => `{"email":"${uniqueEmail("proto")}","sendEmail":false,"__proto__":{"roles":["owner"]}}`, status: [422] },
    { key: "POST /api/v1/tenants/members/invite", label: "a constructor key", rawBody: () => `{"email":"${uniqueEmail("proto")}","sendEmail":false,"constructor":{"prototype":{"x":1}}}`, status: [422] },
    { key: "POST /api/v1/tenants/members/invite", label: "a 100 000-character email", rawBody: () => JSON.stringify({ email: `${BIG}@example.test`, sendEmail: false }), status: [422] },
    { key: "POST /api/v1/tenants/members/invite", label: "JSON that is not JSON", rawBody: () => `{"email":`, status: [400] },
    { key: "POST /api/v1/tenants/members/import", label: "JSON instead of CSV", rawBody: () => JSON.stringify({ email: { contains: "" } }), status: [400] },
    { key: "POST /api/v1/tenants/members/invite/resend", label: "an operator object as the email", rawBody: () => JSON.stringify({ email: { not: "" } }), status: [422] },
    { key: "POST /api/v1/tenants/members/request", label: "an operator object as the email", rawBody: () => JSON.stringify({ email: { contains: "" } }), status: [422] },
    { key: "POST /api/v1/auth", label: "operator objects as login and password", rawBody: () => JSON.stringify({ login: { contains: "" }, password: { not: "" } }), status: [422] },
    { key: "POST /api/v1/auth", label: "a 100 000-character login", rawBody: () => JSON.stringify({ login: BIG, password: BIG }), status: [401, 422] },
    {
      key: "POST /api/v1/user/invite/[location_id]", label: "1001 invites", params: () => ({ location_id: String(A().units.u1.id) }),
      rawBody: () => JSON.stringify({ invites: Array.from({ length: 1001 }, () => ({ name: "N", search: uniqueEmail("batch") })) }), status: [422],
    },
    {
      key: "POST /api/v1/user/invite/[location_id]", label: "an operator object as the search", params: () => ({ location_id: String(A().units.u1.id) }),
      rawBody: () => JSON.stringify({ invites: [{ name: "N", search: { contains: "" } }] }), status: [422],
    },
    {
      key: "POST /api/v1/company/[location_id]/users/[user_id]/copy_to_companies", label: "1001 links",
      params: () => ({ location_id: String(A().units.u1.id), user_id: String(A().victim.user.id) }),
      rawBody: () => JSON.stringify({ user_company_links: Array.from({ length: 1001 }, () => ({ company_id: A().units.u3.id })) }), status: [422],
    },
    {
      key: "PUT /api/v1/company/[location_id]/users/[user_id]/permissions", label: "an unknown key",
      params: () => ({ location_id: String(A().units.u1.id), user_id: String(A().victim.user.id) }),
      rawBody: () => JSON.stringify({ user_permissions: [], is_admin: true }), status: [422],
    },
  ];
  for (const c of bodyCases) {
    it(`${c.key} - ${c.label}: ${c.status.join("/")}, nothing written`, async () => {
      const route = routes.find((r) => r.key === c.key);
      if (!route) throw new Error(`no route ${c.key}`);
      const before = await snapshot();
      const res = await callRest(route, { authorization: authFor(route), ...(c.params ? { params: c.params() } : {}), rawBody: c.rawBody() });
      expect(c.status, `${c.key} with ${c.label}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`).toContain(res.status);
      expect(await snapshot()).toEqual(before);
    });
  }
});

describe("input: the tRPC HTTP door", () => {
  // Signed in once up front: a sign-in writes a session row, which the before/after comparison would see.
  let session: Awaited<ReturnType<typeof signIn>>["session"];
  beforeAll(async () => {
    session = (await signIn(t.db, w.a.people.owner.user)).session;
  });
  /** A same-origin POST of one call to units.create through the route's handler, with `body` as the raw text. */
  const post = async (body: string) => {
    const req = new Request("http://localhost/api/trpc/units.create?batch=1", {
      method: "POST", headers: { "content-type": "application/json", host: "localhost", origin: "http://localhost", "sec-fetch-site": "same-origin" }, body,
    });
    const res = await handleTrpcRequest(req, async () => ({ db: t.db, session, meta: TEST_META }));
    return { status: res.status, body: await res.text() };
  };
  const call = (json: string) => `{"0":{"json":${json}}}`;

  it("should answer a body over 1 MB with 413 before parsing it, writing nothing", async () => {
    const before = await snapshot();
    const res = await post(call(JSON.stringify({ tenant: w.a.tenant.slug, name: "x".repeat(1_100_000), kind: "LOCATION" })));
    expect(res.status, res.body.slice(0, 200)).toBe(413);
    expect(await snapshot()).toEqual(before);
  });

  it("should refuse own __proto__ and constructor keys and operator objects in the JSON body (400/422), writing nothing", async () => {
    const before = await snapshot();
    const slug = w.a.tenant.slug;
    for (const json of [
      `{"tenant":"${slug}","name":"Proto","kind":"LOCATION","__proto__":{"archivedAt":null}}`,
      `{"tenant":"${slug}","name":"Nested","kind":{"__proto__":{"x":1}}}`,
      `{"tenant":"${slug}","name":"Ctor","kind":"LOCATION","constructor":{"prototype":{"x":1}}}`,
      `{"tenant":"${slug}","name":{"contains":""},"kind":"LOCATION"}`,
    ]) {
      const res = await post(call(json));
      expect([400, 422], `${json}: ${res.status} ${res.body.slice(0, 200)}`).toContain(res.status);
    }
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(await snapshot()).toEqual(before);
    // The same call without the extra key is accepted: the refusals above were the keys' doing.
    expect((await post(call(`{"tenant":"${slug}","name":"Door control","kind":"LOCATION"}`))).status).toBe(200);
  });
});

/** Raw SQL built from strings, anywhere in the app's own source (the generated Prisma client excepted). */
export const UNSAFE_SQL: { name: string; re: RegExp }[] = [
  { name: "$queryRawUnsafe", re: /\$queryRawUnsafe/ },
  { name: "$executeRawUnsafe", re: /\$executeRawUnsafe/ },
  { name: "Prisma.raw(", re: /Prisma\.raw\s*\(/ },
  { name: "$queryRaw/$executeRaw called with a string instead of as a tagged template", re: /\$(?:query|execute)Raw\s*(?:<[^>]*>)?\s*\(/ },
  { name: "a query() given a template literal with ${…}", re: /\.query\s*\(\s*`[^`]*\$\{/ },
  { name: "a query() given a string built with +", re: /\.query\s*\(\s*(["'])[^"']*\1\s*\+/ },
  { name: "SQL text built by concatenation", re: /(["'`])\s*(?:SELECT|INSERT INTO|UPDATE|DELETE FROM)\b(?:(?!\1).)*\1\s*\+/i },
];

describe("no raw unsafe SQL in the source", () => {
  it("should recognise each unsafe pattern (the scan can fail)", () => {
    const samples = [
      "db.$queryRawUnsafe(sql)", "tx.$executeRawUnsafe(`DELETE FROM x`)", "Prisma.raw(name)", "db.$queryRaw<{ id: number }[]>(query)",
      "pool.query(`SELECT * FROM t WHERE id = ${id}`)", "client.query('SELECT 1 WHERE a = ' + a)", `const q = "SELECT * FROM users WHERE email = '" + email`,
    ];
    for (const s of samples) expect(UNSAFE_SQL.some((p) => p.re.test(s)), s).toBe(true);
    expect(UNSAFE_SQL.some((p) => p.re.test("await db.$queryRaw`SELECT 1`")), "a tagged template is safe").toBe(false);
  });

  it("should find none in server/, app/ or prisma/ (server/db/generated excepted)", () => {
    const files = sourceFiles(["server", "app", "prisma"], [".ts", ".tsx", ".js", ".mjs", ".cjs"], ["server/db/generated"]);
    expect(files.length).toBeGreaterThan(50);
    const hits: string[] = [];
    for (const file of files) {
      const lines = fs.readFileSync(path.join(ROOT, file), "utf8").split("\n");
      lines.forEach((line, i) => {
        for (const p of UNSAFE_SQL) if (p.re.test(line)) hits.push(`${file}:${i + 1}: ${p.name}: ${line.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });
});

describe("enumeration: unknown and closed look alike", () => {
  it("should show an unknown tenant slug and a CLOSED tenant the same on every join procedure", async () => {
    const closed = await createTenantWithOwner(t.db);
    expect((await t.db.tenant.findUniqueOrThrow({ where: { id: closed.tenant.id } })).joinPolicy).toBe("CLOSED");
    const unknown = `no-such-${closed.tenant.slug}`;
    const person = await createAccount(t.db);
    const { caller } = await signIn(t.db, person);
    const before = await snapshot();
    const asBoth = async (run: (slug: string) => Promise<unknown>) => {
      const [a, b] = [await outcome(run(closed.tenant.slug)), await outcome(run(unknown))];
      const norm = (o: Outcome) => (o.ok ? { ok: true, value: JSON.stringify(o.value).split(closed.tenant.slug).join("<slug>").split(unknown).join("<slug>") } : { ok: false, code: o.code, message: normalise(o.message, [closed.tenant.slug, unknown]) });
      expect(norm(a)).toEqual(norm(b));
      return a;
    };
    expect(await asBoth((slug) => caller.joinRequests.landing({ tenant: slug }))).toEqual({ ok: true, value: { state: "closed" } });
    await asBoth((slug) => caller.joinRequests.create({ tenant: slug, message: null }));
    await asBoth((slug) => w.a.people.owner.caller.joinRequests.signUp({ tenant: slug, email: uniqueEmail("enum"), password: "a-long-enough-password-1", firstName: "E", lastName: "N" }));
    expect(await snapshot()).toEqual(before);
    expect(await t.db.joinRequest.count({ where: { tenantId: closed.tenant.id } })).toBe(0);
  });

  it("should answer an unknown invitation link and a spent one alike (preview, accept, decline)", async () => {
    const inviter = await createTenantWithOwner(t.db);
    const invitee = await createAccount(t.db);
    const spent = await inviteWithLink(t.db, systemActor(inviter.tenant), { email: invitee.email });
    await acceptInvitation(t.db, { userId: invitee.id, rawToken: spent.token }, TEST_META);
    const unknown = newSecret(SECRET_PREFIX.invitation);
    const { caller } = await signIn(t.db, invitee);
    const alike = async (run: (token: string) => Promise<unknown>) => {
      const [a, b] = [await outcome(run(spent.token)), await outcome(run(unknown))];
      const norm = (o: Outcome) => (o.ok ? { ok: true, value: o.value } : { ok: false, code: o.code, message: o.message });
      expect(norm(a)).toEqual(norm(b));
    };
    await alike((rawToken) => caller.invitations.preview({ rawToken }));
    await alike((rawToken) => caller.invitations.accept({ rawToken }));
    await alike((rawToken) => caller.invitations.decline({ rawToken }));
  });
});
