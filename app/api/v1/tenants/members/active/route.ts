import { pagingOf } from "@/server/rest/http.ts";
import { activeMember003Json } from "@/server/rest/member-dto.ts";
import { seed003Route } from "@/server/rest/seed003.ts";
import { listActiveMembers } from "@/server/services/members/list-active-members.ts";

/**
 * Seed 003: every ACTIVE member of the token's tenant, members and client users alike, as a bare array (the seed's
 * shape), streamed from one statement. Optional `?page=&count=` (count ≤ 1,000); `X-Total-Count` always carries the
 * exact total, since a bare array has no room for it.
 */
export const GET = seed003Route({}, async ({ req, db, principal }) => {
  const { total, members } = await listActiveMembers(db, principal!.actor, { page: pagingOf(new URL(req.url)) });
  return { rows: { items: members, toJson: activeMember003Json }, headers: { "X-Total-Count": String(total) } };
});
