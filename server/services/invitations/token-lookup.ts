/**
 * The invitee's side (not a use case itself): finding an invitation by its raw token and checking that the signed-in
 * person is its recipient. Every unusable token (unknown, tampered, spent, cancelled, expired) is the same neutral
 * answer, so a link reveals nothing about invitations it does not open.
 */
import { hashSecret } from "../../auth/secrets.ts";
import type { Db, Tx } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { effectiveStatus, INVITATION_SELECT, type InvitationRow } from "./invitation-record.ts";

export const NEUTRAL_MESSAGE = "This invitation link is not valid. It may have expired, been used, or been withdrawn.";
export const invalidLink = () => new AppError(AppErrorCode.NOT_FOUND, { userMessage: NEUTRAL_MESSAGE });

export type TokenInvitation = InvitationRow & { tenant: { id: number; slug: string; name: string; status: "ACTIVE" | "SUSPENDED" } };

/** The live (PENDING, unexpired) invitation behind `rawToken`, or null. */
export async function findLiveByToken(db: Db | Tx, rawToken: string, now = new Date()): Promise<TokenInvitation | null> {
  // The hash is unique per tenant; across tenants two equal hashes of 256 random bits do not happen (the plain index).
  const row = (await db.invitation.findFirst({
    where: { tokenHash: hashSecret(rawToken) },
    select: { ...INVITATION_SELECT, tenant: { select: { id: true, slug: true, name: true, status: true } } },
  })) as TokenInvitation | null;
  return row && effectiveStatus(row, now) === "PENDING" ? row : null;
}

export type Invitee = { id: number; email: string; emailVerifiedAt: Date | null; phone: string | null; disabledAt: Date | null; firstName: string | null; lastName: string | null; displayName: string | null };

export async function loadInvitee(db: Db | Tx, userId: number): Promise<Invitee> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, emailVerifiedAt: true, phone: true, disabledAt: true, firstName: true, lastName: true, displayName: true },
  });
  if (!user || user.disabledAt) throw new AppError(AppErrorCode.UNAUTHORIZED, { userMessage: "Sign in first." });
  return user;
}

/**
 * The signed-in account must be the invitation's recipient: for an email invitation its email must equal the
 * invited one (an unverified account with that email is fine: the link in the mailbox is the proof, and accepting
 * verifies it). A phone invitation has no email to compare; the link itself is the proof. Otherwise FORBIDDEN with
 * a message that says what to do, and nothing is consumed.
 */
export function assertRecipient(inv: Pick<InvitationRow, "email">, user: Invitee): void {
  if (inv.email !== null && inv.email !== user.email) {
    throw new AppError(AppErrorCode.FORBIDDEN, {
      userMessage: `This invitation was sent to ${inv.email}, but you are signed in as ${user.email}. Sign in with the invited email address to accept it.`,
    });
  }
}
