/** The signed-in user's own profile. */
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import type { TMe } from "./account.schema.ts";

export async function getMe(db: Db, userId: number): Promise<TMe> {
  const me = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, firstName: true, lastName: true, displayName: true, phone: true, language: true, lastLoginAt: true, emailVerifiedAt: true },
  });
  if (!me) throw new AppError(AppErrorCode.UNAUTHORIZED, { userMessage: "Sign in first." });
  const { emailVerifiedAt, ...rest } = me;
  return { ...rest, emailVerified: emailVerifiedAt !== null };
}
