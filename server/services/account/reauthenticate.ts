/**
 * Re-authentication: the signed-in person enters their password (or, with two-factor on, a code) again, which
 * opens the window for sensitive changes (server/auth/reauth.ts). Wrong passwords count against REAUTH_USER and
 * wrong codes against TOTP_USER. The session is marked for rotation; the page then fetches a new cookie.
 */
import { recordAuditEvent } from "../../audit/record.ts";
import { verifyPassword } from "../../auth/password.ts";
import { markReauthenticated, requireSessionRotation } from "../../auth/sessions.ts";
import { hasTwoFactor, verifySecondFactor } from "../../auth/two-factor.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { enforce, limit, resetLimit } from "../../security/rate-limit.ts";
import { parseInput } from "../parse.ts";
import { ZReauthenticateInput, type TReauthenticateInput } from "./account.schema.ts";
import { auditActorOf, type AccountSelf } from "./self.ts";

export async function reauthenticate(db: Db, self: AccountSelf, input: TReauthenticateInput): Promise<{ reauthAt: Date }> {
  const data = parseInput(ZReauthenticateInput, input);
  if ("password" in data) {
    const key = `reauth:${self.userId}`;
    await enforce(db, key, limit("reauthUser"));
    const user = await db.user.findUnique({ where: { id: self.userId }, select: { passwordHash: true } });
    if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, data.password))) {
      throw new AppError(AppErrorCode.UNAUTHORIZED, { userMessage: "Wrong password.", reason: "WRONG_PASSWORD" });
    }
    await resetLimit(db, key);
  } else {
    if (!(await hasTwoFactor(db, self.userId))) {
      throw new AppError(AppErrorCode.UNPROCESSABLE, { userMessage: "Two-factor authentication is not on: enter your password." });
    }
    await verifySecondFactor(db, self.userId, data.code);
  }
  const now = new Date();
  await db.$transaction(async (tx) => {
    await markReauthenticated(tx, self.sessionId, now);
    await requireSessionRotation(tx, self.sessionId, now);
    await recordAuditEvent(tx, {
      actor: auditActorOf(self), tenantId: null, action: "session.reauthenticated", targetType: "session", targetId: self.sessionId,
      after: { with: "password" in data ? "password" : "code" },
    });
  });
  return { reauthAt: now };
}
