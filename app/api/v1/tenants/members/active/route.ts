import { toMember003 } from "@/server/rest/member-dto.ts";
import { seed003Route } from "@/server/rest/seed003.ts";
import { listActiveMembers } from "@/server/services/members/list-active-members.ts";

/** Seed 003: every ACTIVE member of the token's tenant, members and client users alike. */
export const GET = seed003Route({}, async ({ db, principal }) => ({ body: (await listActiveMembers(db, principal!.actor)).map(toMember003) }));
