/**
 * Sign-up through an invitation link: the only way (besides the CLI) an account gets a password. The invitee's user
 * row was created at invite time; the live link proves the mailbox, so the email counts as verified. The invitation
 * page then signs the person in and accepts in the same request (server/invite-landing/sign-up.ts): creating an
 * account from the link is the decision to join.
 */
import { z } from "zod";
import { recordAuditEvent } from "../../audit/record.ts";
import type { RequestMeta } from "../../authz/actor.ts";
import { hashPassword } from "../../auth/password.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { enforce, limit } from "../../security/rate-limit.ts";
import { findLiveByToken, invalidLink } from "../invitations/token-lookup.ts";
import { parseInput } from "../parse.ts";
import { ZPassword } from "../tenants/tenants.schema.ts";

export const ZSignUpFromInvitationInput = z.strictObject({
  rawToken: z.string().min(16).max(200),
  password: ZPassword,
  firstName: z.string().trim().max(100).optional(),
  lastName: z.string().trim().max(100).optional(),
});

/** Whether the invitation's recipient must create an account (true) or sign in (false); null for a dead link. */
export async function inviteeNeedsAccount(db: Db, rawToken: string): Promise<{ needsAccount: boolean; email: string | null } | null> {
  const inv = await findLiveByToken(db, rawToken);
  if (!inv) return null;
  if (inv.userId === null) return { needsAccount: true, email: inv.email };
  const user = await db.user.findUnique({ where: { id: inv.userId }, select: { passwordHash: true, email: true } });
  return { needsAccount: !user?.passwordHash, email: user?.email ?? inv.email };
}

export type SignedUpUser = { id: number; email: string; firstName: string | null; lastName: string | null; displayName: string | null };

export async function signUpFromInvitation(db: Db, input: z.input<typeof ZSignUpFromInvitationInput>, meta: RequestMeta): Promise<SignedUpUser> {
  const data = parseInput(ZSignUpFromInvitationInput, input);
  const inv = await findLiveByToken(db, data.rawToken);
  if (!inv || inv.userId === null) throw invalidLink();
  await enforce(db, `signup:${inv.userId}`, limit("signUpPerEmail"));
  const passwordHash = await hashPassword(data.password);
  return db.$transaction(async (tx) => {
    // Conditional on "no password yet": two tabs racing, or an account created meanwhile, cannot overwrite a password.
    const { count } = await tx.user.updateMany({
      where: { id: inv.userId!, passwordHash: null, disabledAt: null },
      data: {
        passwordHash,
        emailVerifiedAt: new Date(),
        ...(data.firstName ? { firstName: data.firstName } : {}),
        ...(data.lastName ? { lastName: data.lastName } : {}),
      },
    });
    if (count === 0) {
      throw new AppError(AppErrorCode.CONFLICT, { userMessage: "An account with this email already exists. Sign in to accept the invitation." });
    }
    const user = await tx.user.findUniqueOrThrow({ where: { id: inv.userId! }, select: { id: true, email: true, firstName: true, lastName: true, displayName: true } });
    await recordAuditEvent(tx, {
      actor: { kind: "user", userId: inv.userId!, tokenId: null, meta }, tenantId: inv.tenant.id,
      action: "user.signed_up", targetType: "user", targetId: inv.userId, after: { via: "invitation", invitationId: inv.id },
    });
    return user;
  });
}
