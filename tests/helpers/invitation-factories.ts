/** Invitation fixtures: the access world (one member per role), invitations through the real service, raw tokens from links. */
import type { Actor } from "../../server/authz/actor.ts";
import type { Db } from "../../server/db/client.ts";
import { createInvitation } from "../../server/services/invitations/create-invitation.ts";
import type { TCreateInvitationInput } from "../../server/services/invitations/invitations.schema.ts";
import { uniqueEmail } from "./factories.ts";

/** The raw token at the end of an accept link (`<base>/invite/<token>`). */
export function tokenOf(url: string | null): string {
  const raw = url?.split("/invite/")[1];
  if (!raw) throw new Error(`not an invite link: ${url}`);
  return raw;
}

/** Invites `email` (default: a fresh one) without sending email, and returns the invitation with its raw token. */
export async function inviteWithLink(db: Db, actor: Actor, input: Partial<TCreateInvitationInput> = {}) {
  const email = input.email ?? (input.phone ? undefined : uniqueEmail("invitee"));
  const out = await createInvitation(db, actor, { ...input, ...(email ? { email } : {}), sendEmail: false });
  return { ...out, email: email ?? null, token: tokenOf(out.inviteUrl) };
}

/** A person with an account (verified email unless told otherwise) and no membership anywhere. */
export async function createAccount(db: Db, opts: { email?: string; verified?: boolean } = {}) {
  return db.user.create({
    data: { email: opts.email ?? uniqueEmail("person"), ...(opts.verified === false ? {} : { emailVerifiedAt: new Date() }) },
    select: { id: true, email: true },
  });
}

/** Counts of what an invitation call may write, to prove a refusal wrote nothing. */
export async function writeCounts(db: Db, tenantId: number) {
  const [invitations, users, deliveries, audit] = await Promise.all([
    db.invitation.count({ where: { tenantId } }),
    db.user.count(),
    db.emailDelivery.count({ where: { tenantId } }),
    db.auditEvent.count({ where: { tenantId, action: { startsWith: "invitation." } } }),
  ]);
  return { invitations, users, deliveries, audit };
}
