/**
 * Starts two-factor enrolment: a new TOTP seed is stored (encrypted) as pending and shown once as a QR code and as
 * Base32 text. Nothing changes for sign-in until `enableTwoFactor` confirms a code from the app. Starting again
 * replaces a pending seed; an enabled factor must be turned off first.
 */
import { assertRecentAuth } from "../../auth/reauth.ts";
import { encryptTotpSecret, enrolmentPayload, formatSecret, newTotpSecret } from "../../auth/two-factor.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import type { TStartTwoFactorOutput } from "./account.schema.ts";
import type { AccountSelf } from "./self.ts";

export async function startTwoFactor(db: Db, self: AccountSelf): Promise<TStartTwoFactorOutput> {
  assertRecentAuth(self);
  const user = await db.user.findUnique({ where: { id: self.userId }, select: { email: true, twoFactor: { select: { enabledAt: true } } } });
  if (!user) throw new AppError(AppErrorCode.UNAUTHORIZED, { userMessage: "Sign in first." });
  if (user.twoFactor?.enabledAt) {
    throw new AppError(AppErrorCode.CONFLICT, { userMessage: "Two-factor authentication is already on. Turn it off first to use another app." });
  }
  const secret = newTotpSecret();
  const ciphertext = encryptTotpSecret(self.userId, secret);
  // Conditional on "not enabled": a concurrent confirmation is never overwritten by a new pending seed.
  const alreadyOn = () => new AppError(AppErrorCode.CONFLICT, { userMessage: "Two-factor authentication is already on." });
  if (user.twoFactor) {
    const { count } = await db.twoFactor.updateMany({ where: { userId: self.userId, enabledAt: null }, data: { secret: ciphertext, lastUsedStep: null } });
    if (count === 0) throw alreadyOn();
  } else {
    try {
      await db.twoFactor.create({ data: { userId: self.userId, secret: ciphertext } });
    } catch {
      // Another tab started at the same moment; its seed stands, this one is not shown.
      throw new AppError(AppErrorCode.CONFLICT, { userMessage: "Enrolment was started elsewhere at the same moment. Try again." });
    }
  }
  return { secret: formatSecret(secret), ...(await enrolmentPayload(user.email, secret)) };
}
