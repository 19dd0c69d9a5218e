/**
 * Sets a new password from an emailed reset link. In one transaction: the token is used (single use), the password
 * hash and passwordChangedAt are set, every session of the account ends (whoever knew the old password is out),
 * every other unused reset or verification link and pending two-factor sign-in challenge dies, the sign-in and
 * two-factor locks of the account are lifted (server/security/rate-limit.ts clearAccountLocks: the link proves the
 * mailbox), the address counts as verified, the audit row is written and the person is told by email.
 */
import { consumeAccountToken, findAccountToken, retireAccountTokens, tokenState } from "../../auth/account-tokens.ts";
import { personName } from "../../auth/email-verification.ts";
import { hashPassword } from "../../auth/password.ts";
import { deviceOf } from "../../auth/sessions.ts";
import type { RequestMeta } from "../../authz/actor.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { passwordChangedEmail, queueEmail } from "../../email/index.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { clearAccountLocks } from "../../security/rate-limit.ts";
import { parseInput } from "../parse.ts";
import {
  ZResetPasswordInput, ZResetTokenInput, type TResetPasswordInput, type TResetTokenState,
} from "./account.schema.ts";

const LINK_MESSAGES = {
  expired: "This reset link has expired. Ask for a new one.",
  used: "This reset link was already used or replaced by a newer one. Ask for a new one.",
  invalid: "This reset link is not valid. Ask for a new one.",
} as const;

/** Whether a reset link can still be used (the page shows the form or says why not); uses nothing. */
export async function checkResetToken(db: Db, input: { token: string }): Promise<TResetTokenState> {
  const { token } = parseInput(ZResetTokenInput, input);
  return { state: tokenState(await findAccountToken(db, token, "RESET_PASSWORD")) };
}

const linkError = (state: keyof typeof LINK_MESSAGES) =>
  new AppError(AppErrorCode.UNPROCESSABLE, { userMessage: LINK_MESSAGES[state], reason: `RESET_LINK_${state.toUpperCase()}` });

const USER_SELECT = { id: true, email: true, firstName: true, lastName: true, displayName: true, emailVerifiedAt: true, disabledAt: true } as const;

export async function resetPassword(db: Db, input: TResetPasswordInput, meta: RequestMeta): Promise<{ email: string }> {
  const data = parseInput(ZResetPasswordInput, input);
  const now = new Date();
  // Read (without using) the link first, so the slow parts (hashing, rendering the notice) stay outside the transaction.
  const peek = await findAccountToken(db, data.token, "RESET_PASSWORD");
  const peekState = tokenState(peek, now);
  if (peekState !== "valid" || !peek) throw linkError(peekState === "valid" ? "invalid" : peekState);
  const person = await db.user.findUnique({ where: { id: peek.userId }, select: USER_SELECT });
  if (!person) throw linkError("invalid");
  const passwordHash = await hashPassword(data.password);
  const notice = await passwordChangedEmail({ name: personName(person), when: now, ip: meta.ip, device: deviceOf(meta.userAgent), otherSessionsEnded: true });
  return db.$transaction(async (tx) => {
    const used = await consumeAccountToken(tx, data.token, "RESET_PASSWORD", now);
    if (!used.ok) throw linkError(used.state);
    const user = await tx.user.findUnique({ where: { id: used.token.userId }, select: USER_SELECT });
    // A link proves only the address it was sent to; a disabled account gets no password.
    if (!user || user.disabledAt || user.email !== used.token.email) throw linkError("invalid");
    await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, passwordChangedAt: now, ...(user.emailVerifiedAt ? {} : { emailVerifiedAt: now }) },
    });
    const { count: sessionsEnded } = await tx.authSession.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: now } });
    await retireAccountTokens(tx, user.id, undefined, now);
    await tx.authChallenge.updateMany({ where: { userId: user.id, usedAt: null }, data: { usedAt: now } });
    await clearAccountLocks(tx, user);
    await recordAuditEvent(tx, {
      actor: { kind: "user", userId: user.id, tokenId: null, meta }, tenantId: null,
      action: "user.password_reset", targetType: "user", targetId: user.id,
      after: { sessionsEnded, ...(user.emailVerifiedAt ? {} : { emailVerified: true }) },
    });
    await queueEmail(tx, { to: user.email, ...notice, kind: "password_changed", refType: "user", refId: String(user.id) });
    return { email: user.email };
  });
}
