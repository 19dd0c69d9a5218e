/**
 * "Forgot password?": emails a single-use link valid 30 minutes (`/reset-password?token=…`). The answer is one
 * sentence whether or not the address has an account, and the work is the same: the limit is counted on the typed
 * address, a message is rendered, and a transaction runs; only a real, enabled account gets a token and an email
 * queued. An account without a password yet (created by an operator or an integrator) may use it to choose one:
 * the link proves the mailbox.
 */
import { newAccountToken, RESET_PASSWORD_TTL_MS, storeAccountToken } from "../../auth/account-tokens.ts";
import { personName } from "../../auth/email-verification.ts";
import type { RequestMeta } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import { appLink, passwordResetEmail, queueEmail } from "../../email/index.ts";
import { enforce, limit } from "../../security/rate-limit.ts";
import { parseInput } from "../parse.ts";
import { ZEmailRequestInput, type TEmailRequestInput, type TNeutralOutput } from "./account.schema.ts";

export const resetEmailLimitKey = (email: string) => `reset-email:${email}`;

export const RESET_REQUESTED =
  "If an account uses this address, we sent it a link to choose a new password. The link works once, for 30 minutes. Check your inbox.";

export async function requestPasswordReset(db: Db, input: TEmailRequestInput, _meta: RequestMeta | null = null): Promise<TNeutralOutput> {
  const { email } = parseInput(ZEmailRequestInput, input);
  await enforce(db, resetEmailLimitKey(email), limit("resetEmail"), { what: "password reset emails" });
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, firstName: true, lastName: true, displayName: true, disabledAt: true },
  });
  const target = user && !user.disabledAt ? user : null;
  const raw = newAccountToken("RESET_PASSWORD");
  // Rendered for an unknown address too (and thrown away), so both paths take as long.
  const rendered = await passwordResetEmail({
    name: target ? personName(target) : null,
    resetUrl: appLink(`/reset-password?token=${raw}`),
    expiresMinutes: RESET_PASSWORD_TTL_MS / 60_000,
  });
  await db.$transaction(async (tx) => {
    if (!target) {
      // The same first statement as a real request (retiring older links), matching nothing.
      await tx.accountToken.updateMany({ where: { userId: 0, kind: "RESET_PASSWORD", usedAt: null }, data: { usedAt: new Date() } });
      return;
    }
    await storeAccountToken(tx, target, "RESET_PASSWORD", raw);
    await queueEmail(tx, { to: target.email, ...rendered, kind: "password_reset", refType: "user", refId: String(target.id) });
  });
  return { message: RESET_REQUESTED };
}
