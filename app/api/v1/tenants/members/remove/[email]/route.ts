import { emailParam, toMember003 } from "@/server/rest/member-dto.ts";
import { seed003Route } from "@/server/rest/seed003.ts";
import { removeMember } from "@/server/services/members/remove-member.ts";

/**
 * Seed 003: removes a member addressed by email and answers the Member as it was just before. The seed uses GET for
 * this state change; it stays for compatibility (bearer tokens only, never cookies, so it cannot be triggered
 * cross-site), with a POST twin for clients that will not send state changes as GET.
 */
const remove = seed003Route<{ email: string }>({}, async ({ db, principal, params }) => ({
  body: toMember003(await removeMember(db, principal!.actor, { email: emailParam(params.email) })),
}));

export const GET = remove;
export const POST = remove;
