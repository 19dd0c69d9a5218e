/**
 * The tenant's audit log, newest first, a page at a time. Pages are keyed by id (keyset pagination), so events
 * written while someone pages never shift or repeat what they see.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import type { Prisma } from "../../db/generated/client.ts";
import type { Db } from "../../db/client.ts";
import { likeLiteral } from "../like.ts";
import { parseInput } from "../parse.ts";
import { ZListAuditEventsInput, type TListAuditEventsInput, type TListAuditEventsOutput } from "./audit.schema.ts";

/** Lists audit events of the actor's tenant with filters and an id cursor. */
export async function listAuditEvents(db: Db, actor: Actor, input: TListAuditEventsInput = {}): Promise<TListAuditEventsOutput> {
  assertCan(actor, "audit.read");
  const data = parseInput(ZListAuditEventsInput, input);
  const createdAt = {
    ...(data.from ? { gte: data.from } : {}),
    ...(data.to ? { lt: data.to } : {}),
  };
  const where: Prisma.AuditEventWhereInput = {
    tenantId: actor.tenantId,
    ...(data.cursor ? { id: { lt: BigInt(data.cursor) } } : {}),
    ...(data.action ? { action: { startsWith: likeLiteral(data.action) } } : {}),
    ...(data.actorUserId ? { actorUserId: data.actorUserId } : {}),
    ...(data.targetType ? { targetType: data.targetType } : {}),
    ...(data.targetId ? { targetId: data.targetId } : {}),
    ...(data.from || data.to ? { createdAt } : {}),
  };
  const rows = await db.auditEvent.findMany({
    where,
    orderBy: { id: "desc" },
    take: data.limit + 1,
    select: {
      id: true, actorType: true, actorUserId: true, actorTokenId: true, action: true, targetType: true, targetId: true,
      before: true, after: true, ip: true, userAgent: true, createdAt: true,
    },
  });
  const page = rows.slice(0, data.limit);
  const userIds = [...new Set(page.map((r) => r.actorUserId).filter((id): id is number => id !== null))];
  const tokenIds = [...new Set(page.map((r) => r.actorTokenId).filter((id): id is number => id !== null))];
  const [users, tokens] = await Promise.all([
    userIds.length ? db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }) : [],
    // Token names are looked up inside the tenant only.
    tokenIds.length ? db.apiToken.findMany({ where: { id: { in: tokenIds }, tenantId: actor.tenantId }, select: { id: true, name: true } }) : [],
  ]);
  const emailOf = new Map(users.map((u) => [u.id, u.email]));
  const tokenNameOf = new Map(tokens.map((t) => [t.id, t.name]));
  return {
    items: page.map((r) => {
      const email = r.actorUserId !== null ? (emailOf.get(r.actorUserId) ?? `user #${r.actorUserId}`) : null;
      const tokenName = r.actorTokenId !== null ? (tokenNameOf.get(r.actorTokenId) ?? `token #${r.actorTokenId}`) : null;
      return {
        id: r.id.toString(),
        action: r.action,
        actor: { type: r.actorType, userId: r.actorUserId, tokenId: r.actorTokenId, label: email ?? tokenName ?? "system", tokenName },
        targetType: r.targetType,
        targetId: r.targetId,
        before: (r.before ?? null) as TListAuditEventsOutput["items"][number]["before"],
        after: (r.after ?? null) as TListAuditEventsOutput["items"][number]["after"],
        ip: r.ip,
        userAgent: r.userAgent,
        createdAt: r.createdAt,
      };
    }),
    nextCursor: rows.length > data.limit ? page[page.length - 1]!.id.toString() : null,
  };
}
