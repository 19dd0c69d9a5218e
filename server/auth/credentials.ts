/** Email + password check shared by the sign-in form and POST /api/v1/auth. */
import type { Db } from "../db/client.ts";
import { AppError, AppErrorCode } from "../errors.ts";
import { enforce, limit, resetLimit } from "../security/rate-limit.ts";
import { normaliseEmail } from "./email.ts";
import { burnPasswordCheck, verifyPassword } from "./password.ts";

export type VerifiedUser = { id: number; email: string; firstName: string | null; lastName: string | null; displayName: string | null };

/**
 * Returns the user when the password matches, or throws UNAUTHORIZED with one message for every failure (unknown
 * email, wrong password, disabled account, no password yet), so the answer never tells which accounts exist.
 * Attempts are throttled per email (TOO_MANY_REQUESTS).
 */
export async function verifyCredentials(db: Db, rawEmail: string, password: string): Promise<VerifiedUser> {
  const email = normaliseEmail(rawEmail);
  const denied = new AppError(AppErrorCode.UNAUTHORIZED, { userMessage: "Wrong email or password." });
  if (!email || !password || password.length > 256 || email.length > 254) throw denied;
  await enforce(db, `signin:${email}`, limit("signInAccountIp"));
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, firstName: true, lastName: true, displayName: true, passwordHash: true, disabledAt: true },
  });
  if (!user?.passwordHash) {
    await burnPasswordCheck(password);
    throw denied;
  }
  const ok = await verifyPassword(user.passwordHash, password);
  if (!ok || user.disabledAt) throw denied;
  await resetLimit(db, `signin:${email}`);
  return { id: user.id, email: user.email, firstName: user.firstName, lastName: user.lastName, displayName: user.displayName };
}

export const displayNameOf = (u: { displayName: string | null; firstName: string | null; lastName: string | null; email: string }) =>
  u.displayName || [u.firstName, u.lastName].filter(Boolean).join(" ") || u.email;
