/**
 * Denied-for-role sweep (issue 9, "Guarantees"): every built-in role × every tenant tRPC procedure and REST route
 * (inventory read from the code). Each procedure declares ONE requirement (the system permission its service asks
 * for); the expected outcome per role is derived from the role's built-in defaults (server/authz/roles.ts, the
 * ARCHITECTURE.md §2 table), never written per role. Every forbidden pair answers FORBIDDEN / 403 and changes
 * nothing; allowed reads answer. Then the grant ceiling at each door: a caller below administrator who may change
 * members cannot grant administrator, or a right value it does not hold itself.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { systemPermissionsOf } from "../../server/authz/actor.ts";
import type { SystemPermission } from "../../server/authz/catalog.ts";
import { BUILTIN_ROLES } from "../../server/authz/roles.ts";
import { createJoinRequest } from "../../server/services/join-requests/create-join-request.ts";
import { accessWorld, callerOf, type AccessWorld } from "../helpers/access-factories.ts";
import { useTestDb } from "../helpers/db.ts";
import { uniqueEmail } from "../helpers/factories.ts";
import { createAccount } from "../helpers/invitation-factories.ts";
import {
  callProcedure, callRest, missingCases, outcome, restRoutes, staleCases, trpcProcedures, type RestCall, type RestRouteInfo,
} from "../helpers/sweep-inventory.ts";
import { fingerprint, ROLES, sweepWorld, type SweepWorld } from "../helpers/sweep-world.ts";

const CASE_FILE = "tests/integration/sweep-roles.test.ts";
const t = useTestDb();
let w: SweepWorld;
beforeAll(async () => {
  w = await sweepWorld(t.db);
}, 120_000);

/**
 * What a procedure or route needs: one system permission, any of several, only membership ("member": never
 * forbidden), refused to every person whatever the role ({ everyone: status }), or no tenant at all (out of scope).
 */
type Requirement = SystemPermission | { anyOf: SystemPermission[] } | "member" | { everyone: number } | { noTenant: string };

/** The tenant-level permissions each built-in role holds by its catalog defaults. */
const HELD = Object.fromEntries(BUILTIN_ROLES.map((r) => [r.slug, systemPermissionsOf([{ slug: r.slug, defaults: r.defaults }], false)])) as Record<
  (typeof ROLES)[number], Set<SystemPermission>
>;
function allowed(req: Requirement, role: (typeof ROLES)[number]): boolean {
  if (req === "member") return true;
  if (typeof req === "string") return HELD[role].has(req);
  if ("anyOf" in req) return req.anyOf.some((p) => HELD[role].has(p));
  return false;
}

type TrpcRoleCase = { requires: Requirement; input?: () => Record<string, unknown> };
const A = () => w.a;
const T = () => ({ tenant: w.a.tenant.slug });
const victim = () => ({ ...T(), id: A().victim.membershipId });
const atUnit = () => ({ ...T(), unitId: A().units.u1.id, userId: A().victim.user.id });
const noTenant = (why: string): TrpcRoleCase => ({ requires: { noTenant: why } });
const OWN = "acts on the caller's own account, in no tenant: no tenant role applies";

export const TRPC_REQUIRES: Record<string, TrpcRoleCase> = {
  "tenants.list": noTenant(OWN),
  "tenants.current": { requires: "member", input: T },
  // Every member may open it; each count and the events are hidden by their own permission (tests/integration/overview.test.ts).
  "tenants.overview": { requires: "member", input: T },
  "account.me": noTenant(OWN),
  "account.sessions": noTenant(OWN),
  "account.revokeSession": noTenant(OWN),
  "account.revokeOtherSessions": noTenant(OWN),
  "account.reauthenticate": noTenant(OWN),
  "account.twoFactor": noTenant(OWN),
  "account.startTwoFactor": noTenant(OWN),
  "account.enableTwoFactor": noTenant(OWN),
  "account.disableTwoFactor": noTenant(OWN),
  "account.regenerateRecoveryCodes": noTenant(OWN),
  "account.verifyEmail": noTenant("public, addressed by the link's secret"),
  "account.requestVerificationEmail": noTenant("public, by address"),
  "account.resendVerificationEmail": noTenant(OWN),
  "account.requestPasswordReset": noTenant("public, by address"),
  "account.checkResetToken": noTenant("public, addressed by the link's secret"),
  "account.resetPassword": noTenant("public, addressed by the link's secret"),
  "account.changePassword": noTenant(OWN),
  "account.updateProfile": noTenant(OWN),
  "account.removeAvatar": noTenant(OWN),
  "members.list": { requires: "members.read", input: T },
  "members.filterOptions": { requires: "members.read", input: T },
  "members.get": { requires: "members.read", input: victim },
  "members.updateProfile": { requires: "members.update", input: () => ({ ...victim(), firstName: "Changed" }) },
  "members.setRoles": { requires: "members.update", input: () => ({ ...victim(), roles: ["accountant"], hasFullAccess: false }) },
  "members.suspend": { requires: "members.remove", input: victim },
  "members.reactivate": { requires: "members.remove", input: victim },
  "members.remove": { requires: "members.remove", input: victim },
  "members.leave": { requires: "member", input: T },
  "units.list": { requires: "members.read", input: T },
  "units.users": { requires: "members.read", input: () => ({ ...T(), unitId: A().units.u1.id }) },
  "units.create": { requires: "units.manage", input: () => ({ ...T(), name: "Role sweep unit", kind: "LOCATION" }) },
  "units.rename": { requires: "units.manage", input: () => ({ ...T(), unitId: A().units.u3.id, name: "Renamed" }) },
  "units.archive": { requires: "units.manage", input: () => ({ ...T(), unitId: A().units.u3.id }) },
  "units.restore": { requires: "units.manage", input: () => ({ ...T(), unitId: A().units.u3.id }) },
  "access.get": { requires: "members.read", input: atUnit },
  "access.update": { requires: "members.update", input: () => ({ ...atUnit(), permissions: [{ slug: "timetable_access", value: false }] }) },
  "access.removeFromUnit": { requires: "members.remove", input: atUnit },
  "access.copyToUnits": { requires: "members.update", input: () => ({ ...atUnit(), links: [{ unitId: A().units.u3.id }] }) },
  "access.removeFromUnits": { requires: "members.remove", input: () => ({ ...atUnit(), links: [{ unitId: A().units.u2.id }] }) },
  "roles.list": { requires: "members.read", input: T },
  "roles.create": { requires: "roles.manage", input: () => ({ ...T(), slug: "role-sweep", title: "Sweep", weight: 10 }) },
  "roles.update": { requires: "roles.manage", input: () => ({ ...T(), slug: A().customRole.slug, title: "Renamed" }) },
  "roles.delete": { requires: "roles.manage", input: () => ({ ...T(), slug: A().customRole.slug }) },
  "roles.createRight": { requires: "roles.manage", input: () => ({ ...T(), slug: "sweep_right", category: "custom", title: "Sweep", type: "BOOLEAN", defaultValue: false }) },
  "invitations.create": { requires: "members.invite", input: () => ({ ...T(), email: uniqueEmail("roles"), sendEmail: false }) },
  "invitations.createMany": { requires: "members.invite", input: () => ({ ...T(), items: [{ email: uniqueEmail("roles"), sendEmail: false }] }) },
  "invitations.inviteEmails": { requires: "members.invite", input: () => ({ ...T(), emails: uniqueEmail("roles") }) },
  "invitations.resend": { requires: "members.invite", input: () => ({ ...T(), ref: { id: A().invitation.id } }) },
  "invitations.cancel": { requires: "members.invite", input: () => ({ ...T(), ref: { id: A().invitation.id } }) },
  "invitations.listPending": { requires: { anyOf: ["members.invite", "members.read"] }, input: T },
  "invitations.preview": noTenant("public, addressed by the link's secret"),
  "invitations.accept": noTenant("the invitee's side: the link and the verified email decide, not a role"),
  "invitations.decline": noTenant("the invitee's side: the link and the verified email decide, not a role"),
  "invitations.mine": noTenant(OWN),
  "invitations.acceptMine": noTenant(OWN),
  "invitations.declineMine": noTenant(OWN),
  "joinRequests.landing": noTenant("public landing page"),
  "joinRequests.create": noTenant("asked by a non-member of the tenant"),
  "joinRequests.signUp": noTenant("public sign-up"),
  "joinRequests.listPending": { requires: "requests.manage", input: T },
  "joinRequests.accept": { requires: "requests.manage", input: () => ({ ...T(), id: A().request.id }) },
  "joinRequests.deny": { requires: "requests.manage", input: () => ({ ...T(), id: A().request.id }) },
  "settings.get": { requires: { anyOf: ["members.read", "settings.manage"] }, input: T },
  "settings.update": { requires: "settings.manage", input: () => ({ ...T(), invitationTtlDays: 9 }) },
  "tokens.list": { requires: "member", input: T },
  "tokens.create": { requires: "tokens.manage", input: () => ({ ...T(), kind: "partner", name: "role sweep" }) },
  "tokens.revoke": { requires: "tokens.manage", input: () => ({ ...T(), id: A().partnerTokenId }) },
  "audit.list": { requires: "audit.read", input: T },
  "audit.actors": { requires: "audit.read", input: () => ({ ...T(), query: "a" }) },
};

const procedures = trpcProcedures();

describe("denied for role: tRPC", () => {
  it("should declare a requirement for every procedure of the app router, and none for a procedure that is gone", () => {
    expect(missingCases(procedures.map((p) => ({ key: p.path, where: p.file })), TRPC_REQUIRES, CASE_FILE)).toEqual([]);
    expect(staleCases(procedures.map((p) => ({ key: p.path })), TRPC_REQUIRES)).toEqual([]);
  });

  it("should derive the matrix from the built-in roles (owner all, administrator without roles/tokens, worker and client none)", () => {
    expect(allowed("roles.manage", "owner")).toBe(true);
    expect(allowed("roles.manage", "administrator")).toBe(false);
    expect(allowed("settings.manage", "administrator")).toBe(true);
    expect(allowed("members.invite", "manager")).toBe(true);
    expect(allowed("members.update", "manager")).toBe(false);
    expect(allowed("members.read", "accountant")).toBe(true);
    expect([...HELD.worker, ...HELD.client]).toEqual([]);
  });

  for (const proc of procedures) {
    it(`${proc.path} - every role the matrix forbids gets FORBIDDEN and changes nothing; allowed reads answer`, async () => {
      const c = TRPC_REQUIRES[proc.path];
      if (!c) throw new Error(`${proc.path} (${proc.file}) has no requirement: add one to TRPC_REQUIRES in ${CASE_FILE}`);
      if (typeof c.requires === "object" && "noTenant" in c.requires) return void expect(c.requires.noTenant.length).toBeGreaterThan(5);
      const before = await fingerprint(t.db, w.a.tenant.id);
      for (const role of ROLES) {
        const ok = allowed(c.requires, role);
        // Allowed mutations are proven by the procedure's own tests; running them here would change the world.
        if (ok && proc.type === "mutation") continue;
        const got = await outcome(callProcedure(w.a.people[role].caller, proc.path, c.input!()));
        if (ok) expect(got, `${proc.path} as ${role} (allowed)`).toMatchObject({ ok: true });
        else expect(got, `${proc.path} as ${role} (forbidden by ${JSON.stringify(c.requires)})`).toMatchObject({ ok: false, code: "FORBIDDEN" });
      }
      expect(await fingerprint(t.db, w.a.tenant.id), `${proc.path}: a refused call changed the tenant`).toEqual(before);
    });
  }
});

type RestRoleCase = { requires: Requirement; call: (role: (typeof ROLES)[number]) => RestCall; mutates?: true };
const pair = (role: (typeof ROLES)[number]) => w.a.people[role].pair;
const bearer = (role: (typeof ROLES)[number]) => w.a.people[role].bearer;
const loc = (id: number, extra: Record<string, string> = {}) => ({ location_id: String(id), ...extra });
const at = () => loc(w.a.units.u1.id, { user_id: String(w.a.victim.user.id) });
const r000 = (requires: Requirement, call: Omit<RestCall, "authorization"> | (() => Omit<RestCall, "authorization">), mutates?: true): RestRoleCase => ({
  requires, call: (role) => ({ authorization: pair(role), ...(typeof call === "function" ? call() : call) }), ...(mutates ? { mutates } : {}),
});
const r003 = (requires: Requirement, call: () => Omit<RestCall, "authorization">, mutates?: true): RestRoleCase => ({
  requires, call: (role) => ({ authorization: bearer(role), ...call() }), ...(mutates ? { mutates } : {}),
});
const email = (e: () => string) => () => ({ params: { email: e() } });

export const REST_REQUIRES: Record<string, RestRoleCase> = {
  // The exchange needs a partner token acting alone; any person's token is refused, whatever the role.
  "POST /api/v1/auth": { requires: { everyone: 401 }, call: (role) => ({ authorization: bearer(role), json: { login: w.a.victim.user.email, password: "x" } }) },
  "GET /api/v1/company/[location_id]/users": r000("members.read", () => ({ params: loc(w.a.units.u1.id) })),
  "DELETE /api/v1/company/[location_id]/users/[user_id]": r000("members.remove", () => ({ params: at() })),
  "GET /api/v1/company/[location_id]/users/[user_id]/permissions": r000("members.read", () => ({ params: at() })),
  "PUT /api/v1/company/[location_id]/users/[user_id]/permissions": r000("members.update", () => ({ params: at(), json: { user_permissions: [{ slug: "timetable_access", value: false }] } })),
  "POST /api/v1/company/[location_id]/users/[user_id]/remove_from_companies": r000("members.remove", () => ({ params: at(), json: { user_company_links: [{ company_id: w.a.units.u2.id }] } })),
  "POST /api/v1/company/[location_id]/users/[user_id]/copy_to_companies": r000("members.update", () => ({ params: at(), json: { user_company_links: [{ company_id: w.a.units.u3.id }] } })),
  "GET /api/v1/company/[location_id]/users/[user_id]/roles": r000("members.read", () => ({ params: at(), query: "include=user_permissions" })),
  "GET /api/v1/company/[location_id]/users/roles": r000("members.read", () => ({ params: loc(w.a.units.u1.id) })),
  "GET /api/v1/company_users/[location_id]": r000("members.read", () => ({ params: loc(w.a.units.u1.id) })),
  "GET /api/v1/user/permissions/[location_id]": r000("member", () => ({ params: loc(w.a.units.u1.id) })),
  "POST /api/v1/user/invite/[location_id]": r000("members.invite", () => ({ params: loc(w.a.units.u1.id), json: { invites: [{ name: "N", search: uniqueEmail("roles") }] } })),
  "DELETE /api/v1/tenants/members/[email]": r003("members.remove", email(() => w.a.victim.user.email)),
  "GET /api/v1/tenants/members/active": r003("members.read", () => ({})),
  "GET /api/v1/tenants/members/pending": r003({ anyOf: ["members.invite", "members.read", "requests.manage"] }, () => ({})),
  "POST /api/v1/tenants/members/invite": r003("members.invite", () => ({ json: { email: uniqueEmail("roles"), sendEmail: false } })),
  "POST /api/v1/tenants/members/import": r003("members.invite", () => ({ rawBody: `email\n${uniqueEmail("roles")}\n`, headers: { "content-type": "text/csv" } })),
  "POST /api/v1/tenants/members/invite/client": r003("members.invite", () => ({ json: { email: uniqueEmail("roles"), sendEmail: false } })),
  "POST /api/v1/tenants/members/invite/resend": r003("members.invite", () => ({ json: { email: w.a.invitation.email } })),
  "GET /api/v1/tenants/members/invite/cancel/[email]": r003("members.invite", email(() => w.a.invitation.email), true),
  "POST /api/v1/tenants/members/invite/cancel/[email]": r003("members.invite", email(() => w.a.invitation.email)),
  "GET /api/v1/tenants/members/remove/[email]": r003("members.remove", email(() => w.a.victim.user.email), true),
  "POST /api/v1/tenants/members/remove/[email]": r003("members.remove", email(() => w.a.victim.user.email)),
  "GET /api/v1/tenants/members/request/accept/[email]": r003("requests.manage", email(() => w.a.requester.email), true),
  "POST /api/v1/tenants/members/request/accept/[email]": r003("requests.manage", email(() => w.a.requester.email)),
  "GET /api/v1/tenants/members/request/deny/[email]": r003("requests.manage", email(() => w.a.requester.email), true),
  "POST /api/v1/tenants/members/request/deny/[email]": r003("requests.manage", email(() => w.a.requester.email)),
  // On someone's behalf under a partner token only: people ask for themselves on /join/[tenant].
  "POST /api/v1/tenants/members/request": { requires: { everyone: 403 }, call: (role) => ({ authorization: bearer(role), json: { email: uniqueEmail("roles") } }) },
};

let routes: RestRouteInfo[] = [];
routes = await restRoutes();

describe("denied for role: REST (user tokens under an all-scopes partner token)", () => {
  it("should declare a requirement for every exported method of every route under app/api/v1, and none for a route that is gone", () => {
    expect(missingCases(routes.map((r) => ({ key: r.key, where: r.file })), REST_REQUIRES, CASE_FILE)).toEqual([]);
    expect(staleCases(routes, REST_REQUIRES)).toEqual([]);
  });

  for (const route of routes) {
    it(`${route.key} - every role the matrix forbids gets 403 and changes nothing; allowed reads answer`, async () => {
      const c = REST_REQUIRES[route.key];
      if (!c) throw new Error(`${route.key} (${route.file}) has no requirement: add one to REST_REQUIRES in ${CASE_FILE}`);
      const mutates = route.method !== "GET" || c.mutates === true;
      const before = await fingerprint(t.db, w.a.tenant.id);
      for (const role of ROLES) {
        const ok = allowed(c.requires, role);
        if (ok && mutates) continue;
        const res = await callRest(route, c.call(role));
        const label = `${route.key} as ${role}`;
        if (ok) expect(res.status, `${label} (allowed)`).toBe(200);
        else expect(res.status, `${label} (forbidden by ${JSON.stringify(c.requires)})`).toBe(typeof c.requires === "object" && "everyone" in c.requires ? c.requires.everyone : 403);
      }
      expect(await fingerprint(t.db, w.a.tenant.id), `${route.key}: a refused call changed the tenant`).toEqual(before);
    });
  }
});

/**
 * The grant ceiling at every door. In accessWorld the manager role also holds members.update (a tenant may widen it),
 * so the manager may change members yet ranks below administrator and holds no billing_access: each attempt to grant
 * either is FORBIDDEN / 403 and writes nothing. The administrator likewise cannot grant owner.
 */
describe("grant ceiling at every door", () => {
  let g: AccessWorld;
  let requestId: number;
  // Signed in up front: a sign-in writes a session row, which the before/after comparison would see.
  const callers: Partial<Record<"manager" | "administrator", Awaited<ReturnType<typeof callerOf>>>> = {};
  beforeAll(async () => {
    g = await accessWorld(t.db);
    callers.manager = await callerOf(t.db, g.manager);
    callers.administrator = await callerOf(t.db, g.administrator);
    await t.db.tenant.update({ where: { id: g.tenant.id }, data: { joinPolicy: "REQUEST" } });
    const asker = await createAccount(t.db);
    requestId = (await createJoinRequest(t.db, { userId: asker.id, tenantSlug: g.tenant.slug, message: null })).id;
  }, 120_000);

  const adminRole = "administrator";
  const above = [{ slug: "billing_access", value: true }];
  type Attempt = { door: string; as: "manager" | "administrator"; run: () => Promise<{ forbidden: boolean; detail: string }> };
  const trpc = (door: string, as: Attempt["as"], proc: string, input: () => Record<string, unknown>): Attempt => ({
    door, as, run: async () => {
      const got = await outcome(callProcedure(callers[as]!, proc, { tenant: g.tenant.slug, ...input() }));
      return { forbidden: !got.ok && got.code === "FORBIDDEN", detail: JSON.stringify(got).slice(0, 300) };
    },
  });
  const rest = (door: string, as: Attempt["as"], key: string, call: () => Omit<RestCall, "authorization">): Attempt => ({
    door, as, run: async () => {
      const route = routes.find((r) => r.key === key);
      if (!route) throw new Error(`no route ${key}`);
      const res = await callRest(route, { authorization: g[as].auth, ...call() });
      return { forbidden: res.status === 403, detail: `${res.status} ${JSON.stringify(res.body).slice(0, 300)}` };
    },
  });
  const workerAt = () => ({ unitId: g.units.l1.id, userId: g.worker.user.id });
  const seedAt = () => ({ location_id: String(g.units.l1.id), user_id: String(g.worker.user.id) });

  const attempts: Attempt[] = [
    trpc("direct edit: unit role administrator", "manager", "access.update", () => ({ ...workerAt(), role: adminRole })),
    trpc("direct edit: a right value the caller lacks", "manager", "access.update", () => ({ ...workerAt(), permissions: above })),
    rest("direct edit (PUT permissions): user_role administrator", "manager", "PUT /api/v1/company/[location_id]/users/[user_id]/permissions", () => ({ params: seedAt(), json: { user_role: adminRole, user_permissions: [] } })),
    rest("direct edit (PUT permissions): a right value the caller lacks", "manager", "PUT /api/v1/company/[location_id]/users/[user_id]/permissions", () => ({ params: seedAt(), json: { user_permissions: above } })),
    trpc("tenant roles: administrator", "manager", "members.setRoles", () => ({ id: g.worker.membershipId, roles: [adminRole], hasFullAccess: false })),
    trpc("tenant roles: owner by an administrator", "administrator", "members.setRoles", () => ({ id: g.worker.membershipId, roles: ["owner"], hasFullAccess: false })),
    trpc("invitation preset: tenant role administrator", "manager", "invitations.create", () => ({ email: uniqueEmail("ceiling"), sendEmail: false, roles: [adminRole] })),
    trpc("invitation preset: unit role administrator", "manager", "invitations.create", () => ({ email: uniqueEmail("ceiling"), sendEmail: false, unitGrants: [{ unitId: g.units.l1.id, role: adminRole }] })),
    trpc("invitation preset: a right value the caller lacks", "manager", "invitations.create", () => ({ email: uniqueEmail("ceiling"), sendEmail: false, unitGrants: [{ unitId: g.units.l1.id, role: "worker", permissions: above }] })),
    trpc("invitation preset in a batch: the second item above the ceiling", "manager", "invitations.createMany", () => ({ items: [{ email: uniqueEmail("ceiling"), sendEmail: false }, { email: uniqueEmail("ceiling"), sendEmail: false, roles: [adminRole] }] })),
    trpc("pasted invitations: tenant role administrator", "manager", "invitations.inviteEmails", () => ({ emails: `${uniqueEmail("ceiling")}\n${uniqueEmail("ceiling")}`, roles: [adminRole] })),
    rest("invitation preset (seed 000 invite): user_role administrator", "manager", "POST /api/v1/user/invite/[location_id]", () => ({ params: { location_id: String(g.units.l1.id) }, json: { invites: [{ name: "N", search: uniqueEmail("ceiling"), user_role: adminRole }] } })),
    rest("invitation preset (seed 000 invite): a right value the caller lacks", "manager", "POST /api/v1/user/invite/[location_id]", () => ({ params: { location_id: String(g.units.l1.id) }, json: { invites: [{ name: "N", search: uniqueEmail("ceiling"), user_permissions: above }] } })),
    trpc("copy to units: a right value the caller lacks", "manager", "access.copyToUnits", () => ({ ...workerAt(), links: [{ unitId: g.units.l2.id, permissions: above }] })),
    trpc("copy to units: copying an administrator's role", "manager", "access.copyToUnits", () => ({ unitId: g.units.l1.id, userId: g.administrator.user.id, links: [{ unitId: g.units.l2.id }] })),
    rest("copy to units (seed 000): a right value the caller lacks", "manager", "POST /api/v1/company/[location_id]/users/[user_id]/copy_to_companies", () => ({ params: seedAt(), json: { user_company_links: [{ company_id: g.units.l2.id, user_permissions: above }] } })),
    trpc("join-request acceptance: role administrator", "manager", "joinRequests.accept", () => ({ id: requestId, role: adminRole })),
    trpc("join-request acceptance: role administrator at a unit", "manager", "joinRequests.accept", () => ({ id: requestId, role: adminRole, unitIds: [g.units.l1.id] })),
  ];

  for (const a of attempts) {
    it(`should refuse a ${a.as} above the ceiling: ${a.door}`, async () => {
      const before = await fingerprint(t.db, g.tenant.id);
      const got = await a.run();
      expect(got.forbidden, got.detail).toBe(true);
      expect(await fingerprint(t.db, g.tenant.id), "a refused grant changed the tenant").toEqual(before);
    });
  }

  it("should never give a token a scope its creator lacks (token scopes door)", async () => {
    const caller = callers.manager!;
    const wanted = ["roles.manage", "tokens.manage", "members.remove", "settings.manage", "members.read"];
    const out = await outcome(caller.tokens.create({ tenant: g.tenant.slug, kind: "personal", name: "ceiling", scopes: wanted }));
    if (out.ok) {
      const scopes = (out.value as { apiToken: { scopes: string[] } }).apiToken.scopes;
      for (const s of scopes) expect(g.manager.actor.permissions.has(s as SystemPermission), `scope ${s} above the manager's ceiling`).toBe(true);
      expect(scopes).not.toContain("roles.manage");
    } else {
      expect(out.code).toBe("FORBIDDEN");
    }
  });
});
