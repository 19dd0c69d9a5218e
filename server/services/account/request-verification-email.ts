/**
 * Sends a new verification link: from the account page banner (the signed-in, unverified person) or from the
 * verify-email page after a link expired (anyone, by address). Both are rate-limited per address (VERIFY_EMAIL).
 * The anonymous form answers one sentence whatever the address (unknown, verified, unverified) and does the same
 * work either way: it renders a message and runs a transaction; only an unverified account gets anything queued.
 */
import { commitVerificationEmail, prepareVerificationEmail } from "../../auth/email-verification.ts";
import type { RequestMeta } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { enforce, limit } from "../../security/rate-limit.ts";
import { parseInput } from "../parse.ts";
import {
  ZEmailRequestInput, type TEmailRequestInput, type TNeutralOutput, type TResendVerificationOutput,
} from "./account.schema.ts";
import type { AccountSelf } from "./self.ts";

export const verifyEmailLimitKey = (email: string) => `verify-email:${email}`;

export const VERIFICATION_SENT = "If this address belongs to an account that still needs confirming, a new link is on its way. It works once, for 24 hours.";

const USER_SELECT = { id: true, email: true, firstName: true, lastName: true, displayName: true, emailVerifiedAt: true, disabledAt: true } as const;

/** The signed-in person asks for a new link to their own address (account page banner). */
export async function resendVerificationEmail(db: Db, self: Pick<AccountSelf, "userId">): Promise<TResendVerificationOutput> {
  const user = await db.user.findUnique({ where: { id: self.userId }, select: USER_SELECT });
  if (!user) throw new AppError(AppErrorCode.UNAUTHORIZED, { userMessage: "Sign in first." });
  if (user.emailVerifiedAt) return { sent: false, alreadyVerified: true };
  await enforce(db, verifyEmailLimitKey(user.email), limit("verifyEmail"), { what: "verification emails" });
  const mail = await prepareVerificationEmail(user);
  await db.$transaction((tx) => commitVerificationEmail(tx, user, mail));
  return { sent: true, alreadyVerified: false };
}

/** Anyone asks for a new link to an address; the answer never says whether it has an account. */
export async function requestVerificationEmail(db: Db, input: TEmailRequestInput, _meta: RequestMeta | null = null): Promise<TNeutralOutput> {
  const { email } = parseInput(ZEmailRequestInput, input);
  await enforce(db, verifyEmailLimitKey(email), limit("verifyEmail"), { what: "verification emails" });
  const user = await db.user.findUnique({ where: { email }, select: USER_SELECT });
  const target = user && !user.emailVerifiedAt && !user.disabledAt ? user : null;
  // Rendered for an unknown address too (and thrown away), so both paths take as long.
  const mail = await prepareVerificationEmail(target ?? { email });
  await db.$transaction(async (tx) => {
    if (target) await commitVerificationEmail(tx, target, mail);
    else await tx.accountToken.updateMany({ where: { userId: 0, kind: "VERIFY_EMAIL", usedAt: null }, data: { usedAt: new Date() } });
  });
  return { message: VERIFICATION_SENT };
}
