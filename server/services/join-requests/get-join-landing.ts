/**
 * What /join/[tenant] shows, for anyone (signed in or not). An unknown, suspended or CLOSED tenant and a malformed
 * slug are the same "closed" state, so the page never tells whether a slug exists. Signed-in viewers also learn
 * whether they are already a member or already asked. Every tenant that takes requests takes sign-ups with them
 * (signUpAllowed stays in the answer for the page and API clients that read it).
 */
import type { Db } from "../../db/client.ts";
import { ZTenantSlug } from "../tenants/tenants.schema.ts";
import type { TJoinLanding } from "./join-requests.schema.ts";

export async function getJoinLanding(db: Db, input: { tenantSlug: string; userId: number | null }): Promise<TJoinLanding> {
  const slug = ZTenantSlug.safeParse(input.tenantSlug);
  if (!slug.success) return { state: "closed" };
  const tenant = await db.tenant.findUnique({ where: { slug: slug.data }, select: { id: true, slug: true, name: true, joinPolicy: true, status: true } });
  if (!tenant || tenant.status !== "ACTIVE" || tenant.joinPolicy === "CLOSED") return { state: "closed" };
  let viewer: { member: boolean; pending: boolean } | null = null;
  if (input.userId !== null) {
    const [member, pending] = await Promise.all([
      db.membership.findUnique({ where: { tenantId_userId: { tenantId: tenant.id, userId: input.userId } }, select: { id: true } }),
      db.joinRequest.findUnique({ where: { tenantId_pendingKey: { tenantId: tenant.id, pendingKey: String(input.userId) } }, select: { id: true } }),
    ]);
    viewer = { member: member !== null, pending: pending !== null };
  }
  return { state: "open", tenant: { slug: tenant.slug, name: tenant.name }, signUpAllowed: true, viewer };
}
