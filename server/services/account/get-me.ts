/** The signed-in user's own profile. */
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import type { TMe } from "./account.schema.ts";
import { avatarPath, storedAvatarOf } from "./avatar.ts";

export async function getMe(db: Db, userId: number): Promise<TMe> {
  const me = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, firstName: true, lastName: true, displayName: true, phone: true, language: true, lastLoginAt: true, emailVerifiedAt: true, avatar: true },
  });
  if (!me) throw new AppError(AppErrorCode.UNAUTHORIZED, { userMessage: "Sign in first." });
  const { emailVerifiedAt, avatar, ...rest } = me;
  const stored = storedAvatarOf(avatar);
  return {
    ...rest,
    avatar: stored ? { url: avatarPath(stored.blobId), thumbnailUrl: avatarPath(stored.thumbnailBlobId) } : null,
    emailVerified: emailVerifiedAt !== null,
  };
}
