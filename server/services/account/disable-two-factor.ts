/**
 * Turns two-factor off: the seed and every recovery code are deleted. Needs a recent re-authentication (a code or
 * the password), is audited and emailed in the same transaction, and marks the session for rotation. Members of a
 * tenant that requires two-factor are then asked to enrol again before they reach that tenant.
 */
import { recordAuditEvent } from "../../audit/record.ts";
import { displayNameOf } from "../../auth/credentials.ts";
import { assertRecentAuth } from "../../auth/reauth.ts";
import { requireSessionRotation } from "../../auth/sessions.ts";
import type { Db } from "../../db/client.ts";
import { queueEmail, twoFactorChangedEmail } from "../../email/index.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { auditActorOf, type AccountSelf } from "./self.ts";

export async function disableTwoFactor(db: Db, self: AccountSelf): Promise<void> {
  assertRecentAuth(self);
  const user = await db.user.findUniqueOrThrow({ where: { id: self.userId }, select: { email: true, firstName: true, lastName: true, displayName: true } });
  const now = new Date();
  const email = await twoFactorChangedEmail({ name: displayNameOf(user), enabled: false, when: now, ip: self.meta.ip });
  await db.$transaction(async (tx) => {
    const { count } = await tx.twoFactor.deleteMany({ where: { userId: self.userId, enabledAt: { not: null } } });
    if (count === 0) throw new AppError(AppErrorCode.CONFLICT, { userMessage: "Two-factor authentication is not on." });
    await tx.recoveryCode.deleteMany({ where: { userId: self.userId } });
    await recordAuditEvent(tx, {
      actor: auditActorOf(self), tenantId: null, action: "user.two_factor_disabled", targetType: "user", targetId: self.userId,
    });
    await queueEmail(tx, { to: user.email, ...email, kind: "two_factor_changed", refType: "user", refId: String(self.userId) });
    await requireSessionRotation(tx, self.sessionId, now);
  });
}
