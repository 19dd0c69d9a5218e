/**
 * Confirms a pending enrolment with a code from the authenticator app: two-factor is on from now, and 10 fresh
 * recovery codes are returned once (only their hashes are kept). Audited and emailed in the same transaction; the
 * session is marked for rotation (the page then fetches a new cookie).
 */
import { recordAuditEvent } from "../../audit/record.ts";
import { displayNameOf } from "../../auth/credentials.ts";
import { assertRecentAuth } from "../../auth/reauth.ts";
import { requireSessionRotation } from "../../auth/sessions.ts";
import { replaceRecoveryCodes, verifySecondFactor } from "../../auth/two-factor.ts";
import type { Db } from "../../db/client.ts";
import { queueEmail, twoFactorChangedEmail } from "../../email/index.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { parseInput } from "../parse.ts";
import { ZConfirmTwoFactorInput, type TConfirmTwoFactorInput, type TRecoveryCodesOutput } from "./account.schema.ts";
import { auditActorOf, type AccountSelf } from "./self.ts";

export async function enableTwoFactor(db: Db, self: AccountSelf, input: TConfirmTwoFactorInput): Promise<TRecoveryCodesOutput> {
  assertRecentAuth(self);
  const { code } = parseInput(ZConfirmTwoFactorInput, input);
  const row = await db.twoFactor.findUnique({ where: { userId: self.userId }, select: { enabledAt: true } });
  if (!row) throw new AppError(AppErrorCode.CONFLICT, { userMessage: "Start the set-up first: no authenticator app is waiting for confirmation." });
  if (row.enabledAt) throw new AppError(AppErrorCode.CONFLICT, { userMessage: "Two-factor authentication is already on." });
  // Wrong codes count against the same limit as the sign-in code step; a correct one enables the factor atomically.
  await verifySecondFactor(db, self.userId, code, { pending: true });
  const user = await db.user.findUniqueOrThrow({ where: { id: self.userId }, select: { email: true, firstName: true, lastName: true, displayName: true } });
  const now = new Date();
  const email = await twoFactorChangedEmail({ name: displayNameOf(user), enabled: true, when: now, ip: self.meta.ip });
  return db.$transaction(async (tx) => {
    const recoveryCodes = await replaceRecoveryCodes(tx, self.userId);
    await recordAuditEvent(tx, {
      actor: auditActorOf(self), tenantId: null, action: "user.two_factor_enabled", targetType: "user", targetId: self.userId,
      after: { recoveryCodes: recoveryCodes.length },
    });
    await queueEmail(tx, { to: user.email, ...email, kind: "two_factor_changed", refType: "user", refId: String(self.userId) });
    await requireSessionRotation(tx, self.sessionId, now);
    return { recoveryCodes };
  });
}
