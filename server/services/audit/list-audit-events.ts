/**
 * The tenant's audit log, newest first, a page at a time. Pages are keyed by id (keyset pagination), so events
 * written while someone pages never shift or repeat what they see.
 *
 * One statement: the page of events with its actors and targets joined (people by name and email, units, roles and
 * tokens by name), so a page costs the same whatever it shows. Targets are joined inside the actor's tenant only,
 * and an invitation shows the address it was sent to, never the profile of an account behind that address: inviting
 * an email must not reveal whose account it is.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { Prisma } from "../../db/generated/client.ts";
import type { Db } from "../../db/client.ts";
import { likeLiteral } from "../like.ts";
import { parseInput } from "../parse.ts";
import { describeTarget, personName, type TargetFacts } from "./audit-target.ts";
import { ZListAuditEventsInput, type TListAuditEventsInput, type TListAuditEventsOutput } from "./audit.schema.ts";

type Row = TargetFacts & {
  id: bigint; actorType: "USER" | "TOKEN" | "SYSTEM"; actorUserId: number | null; actorTokenId: number | null; action: string;
  ip: string | null; userAgent: string | null; createdAt: Date;
  actorEmail: string | null; actorDisplayName: string | null; actorFirstName: string | null; actorLastName: string | null;
  tokenName: string | null;
};

const ts = (d: Date) => Prisma.sql`${d.toISOString()}::timestamp(3)`;
/** The target's integer id when the event's target is of this type (ids are stored as text; others are no match). */
const targetInt = (type: string) =>
  Prisma.sql`(CASE WHEN p."targetType" = ${type} AND p."targetId" ~ '^[0-9]{1,9}$' THEN p."targetId"::int END)`;

/** Lists audit events of the actor's tenant with filters and an id cursor. */
export async function listAuditEvents(db: Db, actor: Actor, input: TListAuditEventsInput = {}): Promise<TListAuditEventsOutput> {
  assertCan(actor, "audit.read");
  const data = parseInput(ZListAuditEventsInput, input);
  const t = actor.tenantId;
  const where = [Prisma.sql`e."tenantId" = ${t}`];
  if (data.cursor) where.push(Prisma.sql`e."id" < ${BigInt(data.cursor)}`);
  if (data.action) where.push(Prisma.sql`e."action" LIKE ${`${likeLiteral(data.action)}%`}`);
  if (data.actorUserId) where.push(Prisma.sql`e."actorUserId" = ${data.actorUserId}`);
  if (data.actor) {
    const text = data.actor.toLowerCase();
    // The tenant's members whose name or email contains the text (the members search's trigram column), plus a
    // former member typed by their exact email: their events stay in the log after they leave.
    where.push(Prisma.sql`e."actorUserId" IN (
      SELECT m."userId" FROM "Membership" m WHERE m."tenantId" = ${t} AND m."searchText" LIKE ${`%${likeLiteral(text)}%`}
      UNION SELECT u."id" FROM "User" u WHERE u."email" = ${text})`);
  }
  if (data.targetType) where.push(Prisma.sql`e."targetType" = ${data.targetType}`);
  if (data.targetId) where.push(Prisma.sql`e."targetId" = ${data.targetId}`);
  if (data.from) where.push(Prisma.sql`e."createdAt" >= ${ts(data.from)}`);
  if (data.to) where.push(Prisma.sql`e."createdAt" < ${ts(data.to)}`);

  const rows = await db.$queryRaw<Row[]>`
    WITH p AS (
      SELECT e.* FROM "AuditEvent" e WHERE ${Prisma.join(where, " AND ")} ORDER BY e."id" DESC LIMIT ${data.limit + 1}
    )
    SELECT p."id", p."actorType"::text AS "actorType", p."actorUserId", p."actorTokenId", p."action", p."targetType", p."targetId",
           p."before", p."after", p."ip", p."userAgent", p."createdAt",
           au."email" AS "actorEmail", au."displayName" AS "actorDisplayName", au."firstName" AS "actorFirstName", au."lastName" AS "actorLastName",
           tok."name" AS "tokenName",
           tu."email" AS "userEmail", tu."displayName" AS "userDisplayName", tu."firstName" AS "userFirstName", tu."lastName" AS "userLastName",
           ti."email" AS "invitationEmail", ti."phone" AS "invitationPhone",
           tun."name" AS "unitName", tr."title" AS "roleTitle", trt."title" AS "rightTitle", tt."name" AS "targetTokenName",
           ten."name" AS "tenantName"
      FROM p
      LEFT JOIN "User" au ON au."id" = p."actorUserId"
      LEFT JOIN "ApiToken" tok ON tok."tenantId" = p."tenantId" AND tok."id" = p."actorTokenId"
      LEFT JOIN "Membership" tm ON tm."tenantId" = p."tenantId" AND tm."id" = ${targetInt("membership")}
      LEFT JOIN "JoinRequest" tj ON tj."tenantId" = p."tenantId" AND tj."id" = ${targetInt("join_request")}
      LEFT JOIN "Invitation" ti ON ti."tenantId" = p."tenantId" AND ti."id" = ${targetInt("invitation")}
      LEFT JOIN "User" tu ON tu."id" = COALESCE(tm."userId", tj."userId", ${targetInt("user")})
      LEFT JOIN "Unit" tun ON tun."tenantId" = p."tenantId" AND tun."id" = ${targetInt("unit")}
      LEFT JOIN "Role" tr ON tr."tenantId" = p."tenantId" AND tr."id" = ${targetInt("role")}
      LEFT JOIN "Right" trt ON trt."tenantId" = p."tenantId" AND trt."id" = ${targetInt("right")}
      LEFT JOIN "ApiToken" tt ON tt."tenantId" = p."tenantId" AND tt."id" = ${targetInt("api_token")}
      LEFT JOIN "Tenant" ten ON ten."id" = p."tenantId" AND p."targetType" = 'tenant'
     ORDER BY p."id" DESC`;

  const page = rows.slice(0, data.limit);
  return {
    items: page.map((r) => {
      const name = r.actorEmail !== null
        ? personName({ displayName: r.actorDisplayName, firstName: r.actorFirstName, lastName: r.actorLastName })
        : null;
      const tokenName = r.actorTokenId !== null ? (r.tokenName ?? "a revoked token") : null;
      const label = r.actorEmail ?? tokenName ?? (r.actorUserId !== null ? "a deleted user" : "system");
      return {
        id: r.id.toString(),
        action: r.action,
        actor: { type: r.actorType, userId: r.actorUserId, tokenId: r.actorTokenId, label, tokenName, name, email: r.actorEmail },
        targetType: r.targetType,
        targetId: r.targetId,
        target: describeTarget(r),
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
