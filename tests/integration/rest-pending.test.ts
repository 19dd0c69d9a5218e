/** Seed 003 GET /api/v1/tenants/members/pending: invitations, client invitations and join requests in one answer. */
import { beforeAll, describe, expect, it } from "vitest";
import { GET as pendingGET } from "../../app/api/v1/tenants/members/pending/route.ts";
import { createInvitation } from "../../server/services/invitations/create-invitation.ts";
import { createJoinRequest } from "../../server/services/join-requests/create-join-request.ts";
import { accessWorld, type AccessWorld } from "../helpers/access-factories.ts";
import { useTestDb } from "../helpers/db.ts";
import { createPartnerToken, createTenantWithOwner, uniqueEmail, TEST_META } from "../helpers/factories.ts";
import { callRoute, type RouteHandler } from "../helpers/http.ts";
import { createAccount } from "../helpers/invitation-factories.ts";
import { actorOf, personalTokenOf } from "../helpers/members-factories.ts";

const t = useTestDb();
let w: AccessWorld;
const emails = { member: uniqueEmail("pm"), client: uniqueEmail("pc"), requester: "" };
beforeAll(async () => {
  w = await accessWorld(t.db);
  const owner = await actorOf(t.db, w.tenant, w.owner.user.id);
  await createInvitation(t.db, owner, { email: emails.member, sendEmail: false });
  await createInvitation(t.db, owner, { email: emails.client, kind: "CLIENT", sendEmail: false });
  await t.db.tenant.update({ where: { id: w.tenant.id }, data: { joinPolicy: "REQUEST" } });
  const requester = await createAccount(t.db, { verified: true });
  emails.requester = requester.email;
  await createJoinRequest(t.db, { userId: requester.id, tenantSlug: w.tenant.slug, message: "hello" }, TEST_META);
});

const get = (authorization: string) => callRoute(pendingGET as unknown as RouteHandler, { method: "GET", path: "/api/v1/tenants/members/pending", authorization });

describe("GET /api/v1/tenants/members/pending", () => {
  it("GET /api/v1/tenants/members/pending - 200 the three lists with INVITED and REQUESTED Members", async () => {
    const res = await get(`Bearer ${await personalTokenOf(t.db, w.tenant, w.owner.user.id)}`);
    expect(res.status).toBe(200);
    const body = res.body as Record<string, Array<Record<string, unknown>>>;
    expect(Object.keys(body).sort()).toEqual(["pendingClientInvites", "pendingInvites", "pendingRequests"]);
    expect(body.pendingInvites!.map((m) => [m.email, m.status])).toEqual([[emails.member, "INVITED"]]);
    expect(body.pendingClientInvites!.map((m) => [m.email, m.status, m.roles])).toEqual([[emails.client, "INVITED", ["client"]]]);
    expect(body.pendingRequests!.map((m) => [m.email, m.status])).toEqual([[emails.requester, "REQUESTED"]]);
  });

  it("GET /api/v1/tenants/members/pending - a partner with only members.read sees invitations but no requests", async () => {
    const partner = await createPartnerToken(t.db, w.tenant, { scopes: ["members.read"] });
    const body = (await get(`Bearer ${partner.token}`)).body as Record<string, unknown[]>;
    expect(body.pendingInvites).toHaveLength(1);
    expect(body.pendingRequests).toEqual([]);
  });

  it("GET /api/v1/tenants/members/pending - 403 for a worker (neither permission)", async () => {
    const res = await get(`Bearer ${await personalTokenOf(t.db, w.tenant, w.worker.user.id)}`);
    expect(res.status).toBe(403);
  });

  it("GET /api/v1/tenants/members/pending - another tenant's token sees none of these", async () => {
    const other = await createTenantWithOwner(t.db);
    const body = (await get(`Bearer ${await personalTokenOf(t.db, other.tenant, other.owner.id)}`)).body as Record<string, unknown[]>;
    expect(body).toEqual({ pendingInvites: [], pendingClientInvites: [], pendingRequests: [] });
  });
});
