/** Replaces every recovery code with 10 new ones (shown once); the old ones stop working. Needs a recent re-auth. */
import { recordAuditEvent } from "../../audit/record.ts";
import { assertRecentAuth } from "../../auth/reauth.ts";
import { replaceRecoveryCodes } from "../../auth/two-factor.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import type { TRecoveryCodesOutput } from "./account.schema.ts";
import { auditActorOf, type AccountSelf } from "./self.ts";

export async function regenerateRecoveryCodes(db: Db, self: AccountSelf): Promise<TRecoveryCodesOutput> {
  assertRecentAuth(self);
  return db.$transaction(async (tx) => {
    const row = await tx.twoFactor.findUnique({ where: { userId: self.userId }, select: { enabledAt: true } });
    if (!row?.enabledAt) throw new AppError(AppErrorCode.CONFLICT, { userMessage: "Two-factor authentication is not on." });
    const recoveryCodes = await replaceRecoveryCodes(tx, self.userId);
    await recordAuditEvent(tx, {
      actor: auditActorOf(self), tenantId: null, action: "user.recovery_codes_regenerated", targetType: "user", targetId: self.userId,
      after: { recoveryCodes: recoveryCodes.length },
    });
    return { recoveryCodes };
  });
}
