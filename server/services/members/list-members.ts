/**
 * Lists the tenant's members: case-insensitive search over name, email and phone (every word must match somewhere),
 * filters, a sort with the membership id as the unique tiebreaker (stable pages), and the total. Two statements
 * (count + page) in one batch so the total and the page see the same data.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import type { Prisma } from "../../db/generated/client.ts";
import { likeLiteral } from "../like.ts";
import { parseInput } from "../parse.ts";
import { MEMBER_SUMMARY_SELECT, toMemberSummary } from "./member-record.ts";
import { ZListMembersInput, type TListMembersInput, type TListMembersOutput } from "./members.schema.ts";

type Dir = "asc" | "desc";

function orderBy(sort: "name" | "email" | "lastLogin" | "createdAt", dir: Dir): Prisma.MembershipOrderByWithRelationInput[] {
  // Missing names and never-signed-in members sort last either way, so a page of real names comes first.
  const last = (field: "lastName" | "firstName" | "lastLoginAt") => ({ user: { [field]: { sort: dir, nulls: "last" } } });
  const keys: Prisma.MembershipOrderByWithRelationInput[] =
    sort === "name" ? [last("lastName"), last("firstName"), { user: { email: dir } }]
      : sort === "email" ? [{ user: { email: dir } }]
        : sort === "lastLogin" ? [last("lastLoginAt")]
          : [{ createdAt: dir }];
  return [...keys, { id: dir }];
}

/** Lists members of the actor's tenant, one page at a time, with the total matching the filters. */
export async function listMembers(db: Db, actor: Actor, input: TListMembersInput): Promise<TListMembersOutput> {
  assertCan(actor, "members.read");
  const q = parseInput(ZListMembersInput, input);
  const words = (q.search ?? "").split(/\s+/).filter(Boolean).slice(0, 5);
  const where: Prisma.MembershipWhereInput = {
    tenantId: actor.tenantId,
    ...(q.status ? { status: q.status } : {}),
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.hasFullAccess !== undefined ? { hasFullAccess: q.hasFullAccess } : {}),
    ...(q.role ? { roles: { some: { role: { slug: q.role } } } } : {}),
    ...(q.unitId ? { unitAccess: { some: { unitId: q.unitId } } } : {}),
    ...(words.length
      ? {
          AND: words.map((w) => ({
            user: {
              OR: (["firstName", "lastName", "displayName", "email", "phone"] as const).map((f) => ({ [f]: { contains: likeLiteral(w), mode: "insensitive" as const } })),
            },
          })),
        }
      : {}),
  };
  const [total, rows] = await db.$transaction([
    db.membership.count({ where }),
    db.membership.findMany({
      where,
      orderBy: orderBy(q.sort, q.direction),
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
      select: MEMBER_SUMMARY_SELECT,
    }),
  ]);
  return { items: rows.map(toMemberSummary), total, page: q.page, pageSize: q.pageSize };
}
