/**
 * Changes the signed-in person's password on the account page. Needs the current password (wrong ones count against
 * REAUTH_USER with the re-authentication prompt, so this is no side door for guessing), and the new one must pass the
 * policy. "Sign out other sessions" (the page's default) ends every other session; the current one is marked for
 * rotation (a new cookie replaces it: server/auth/sessions.ts) and counts as freshly re-authenticated. Audited
 * (`user.password_changed`) and told to the person by email.
 */
import { recordAuditEvent } from "../../audit/record.ts";
import { personName } from "../../auth/email-verification.ts";
import { hashPassword, verifyPassword } from "../../auth/password.ts";
import { deviceOf, markReauthenticated, requireSessionRotation } from "../../auth/sessions.ts";
import type { Db } from "../../db/client.ts";
import { passwordChangedEmail, queueEmail } from "../../email/index.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { enforce, limit, resetLimit } from "../../security/rate-limit.ts";
import { parseInput } from "../parse.ts";
import { ZChangePasswordInput, type TChangePasswordInput, type TChangePasswordOutput } from "./account.schema.ts";
import { auditActorOf, type AccountSelf } from "./self.ts";

export async function changePassword(db: Db, self: AccountSelf, input: TChangePasswordInput): Promise<TChangePasswordOutput> {
  const data = parseInput(ZChangePasswordInput, input);
  const key = `reauth:${self.userId}`;
  await enforce(db, key, limit("reauthUser"));
  const user = await db.user.findUnique({
    where: { id: self.userId },
    select: { id: true, email: true, firstName: true, lastName: true, displayName: true, passwordHash: true },
  });
  if (!user) throw new AppError(AppErrorCode.UNAUTHORIZED, { userMessage: "Sign in first." });
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, data.currentPassword))) {
    const message = "is not your current password";
    throw new AppError(AppErrorCode.UNPROCESSABLE, { userMessage: "The current password is wrong.", issues: [{ path: "currentPassword", message }], reason: "WRONG_PASSWORD" });
  }
  await resetLimit(db, key);
  const passwordHash = await hashPassword(data.newPassword);
  const now = new Date();
  const notice = await passwordChangedEmail({ name: personName(user), when: now, ip: self.meta.ip, device: deviceOf(self.meta.userAgent), otherSessionsEnded: data.signOutOtherSessions });
  return db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, passwordChangedAt: now } });
    const signedOut = data.signOutOtherSessions
      ? (await tx.authSession.updateMany({ where: { userId: user.id, revokedAt: null, id: { not: self.sessionId } }, data: { revokedAt: now } })).count
      : 0;
    // Outstanding two-factor sign-in challenges were earned with the old password.
    await tx.authChallenge.updateMany({ where: { userId: user.id, usedAt: null }, data: { usedAt: now } });
    await markReauthenticated(tx, self.sessionId, now);
    await requireSessionRotation(tx, self.sessionId, now);
    await recordAuditEvent(tx, {
      actor: auditActorOf(self), tenantId: null, action: "user.password_changed", targetType: "user", targetId: user.id,
      after: { signedOutOtherSessions: data.signOutOtherSessions, sessionsEnded: signedOut },
    });
    await queueEmail(tx, { to: user.email, ...notice, kind: "password_changed", refType: "user", refId: String(user.id) });
    return { signedOut };
  });
}
