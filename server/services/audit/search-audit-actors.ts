/**
 * Suggestions for the audit log's actor filter: the tenant's members whose name or email contains the typed text
 * (the members search's trigram column), at most ten. Only for those who may read the log: the list would otherwise
 * be a member directory for everyone.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import { likeLiteral } from "../like.ts";
import { parseInput } from "../parse.ts";
import { personName } from "./audit-target.ts";
import { ZSearchAuditActorsInput, type TAuditActorSuggestion, type TSearchAuditActorsInput } from "./audit.schema.ts";

const MAX_SUGGESTIONS = 10;

/** Finds members of the actor's tenant by part of their name or email, for the audit log's actor filter. */
export async function searchAuditActors(db: Db, actor: Actor, input: TSearchAuditActorsInput): Promise<TAuditActorSuggestion[]> {
  assertCan(actor, "audit.read");
  const data = parseInput(ZSearchAuditActorsInput, input);
  const rows = await db.membership.findMany({
    where: { tenantId: actor.tenantId, ...(data.query ? { searchText: { contains: likeLiteral(data.query.toLowerCase()) } } : {}) },
    orderBy: [{ sortEmail: "asc" }, { id: "asc" }],
    take: MAX_SUGGESTIONS,
    select: { user: { select: { id: true, email: true, displayName: true, firstName: true, lastName: true } } },
  });
  return rows.map(({ user }) => ({ userId: user.id, name: personName(user), email: user.email }));
}
