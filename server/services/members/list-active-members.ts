/**
 * Every ACTIVE member of the actor's tenant, members and client users alike (seed 003 `GET /tenants/members/active`,
 * which has no paging: the whole list, ordered by membership id). A member whose email is not verified yet is
 * "pending verification", not active: they can see nothing of the tenant (server/authz/actor.ts), so they are left out.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import { MEMBER_SELECT, toMember, type MemberRow } from "./member-record.ts";
import type { TMember } from "./members.schema.ts";

export async function listActiveMembers(db: Db, actor: Actor): Promise<TMember[]> {
  assertCan(actor, "members.read");
  const rows = await db.membership.findMany({ where: { tenantId: actor.tenantId, status: "ACTIVE", user: { emailVerifiedAt: { not: null } } }, orderBy: { id: "asc" }, select: MEMBER_SELECT });
  return (rows as MemberRow[]).map(toMember);
}
