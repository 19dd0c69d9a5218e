import { emailParam, toMember003 } from "@/server/rest/member-dto.ts";
import { seed003Route } from "@/server/rest/seed003.ts";
import { removeMember } from "@/server/services/members/remove-member.ts";

/** Roster's RESTful twin of `GET /tenants/members/remove/{email}`: same service, same answer. */
export const DELETE = seed003Route<{ email: string }>({}, async ({ db, principal, params }) => ({
  body: toMember003(await removeMember(db, principal!.actor, { email: emailParam(params.email) })),
}));
