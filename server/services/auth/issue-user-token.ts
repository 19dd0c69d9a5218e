/**
 * Seed 000's POST /auth: an integration (partner token) exchanges a user's login and password for a user token that
 * acts as that user inside the partner's tenant. The user token inherits the partner's scopes and dies with it.
 * For an account with two-factor, or in a tenant that requires it, the body must also carry `code` (a current TOTP
 * or a recovery code); without it the answer is the same 401 as a wrong password, so the password alone never
 * yields a token. A member without two-factor in such a tenant gets no token until they enrol in the app.
 */
import type { Actor } from "../../authz/actor.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import { displayNameOf, verifyCredentials } from "../../auth/credentials.ts";
import { displayPrefix, hashSecret, newSecret, SECRET_PREFIX } from "../../auth/secrets.ts";
import { verifySecondFactor } from "../../auth/two-factor.ts";
import type { Db } from "../../db/client.ts";
import { getEnv } from "../../env.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { avatarPath, storedAvatarOf } from "../account/avatar.ts";
import { parseInput } from "../parse.ts";
import { ZIssueUserTokenInput, type TIssueUserTokenInput, type TUserTokenOutput } from "./auth.schema.ts";

export const USER_TOKEN_TTL_MS = 30 * 86_400_000;

export async function issueUserToken(
  db: Db,
  partner: { actor: Actor; tokenId: number; scopes: readonly string[] },
  input: TIssueUserTokenInput,
): Promise<TUserTokenOutput> {
  const data = parseInput(ZIssueUserTokenInput, input);
  // The same throttle as the sign-in form: per (login, client IP), per login and per IP.
  const user = await verifyCredentials(db, data.login, data.password, { ip: partner.actor.meta.ip });
  const needed = new AppError(AppErrorCode.UNAUTHORIZED, { userMessage: "Authentication needed." });
  if (user.twoFactor) {
    if (!data.code) throw needed;
    try {
      await verifySecondFactor(db, user.id, data.code);
    } catch (e) {
      // A wrong code is the same 401 as a missing one; the lockout (429 with Retry-After) passes through.
      if (e instanceof AppError && e.code === AppErrorCode.UNAUTHORIZED) throw needed;
      throw e;
    }
  } else {
    const tenant = await db.tenant.findUnique({ where: { id: partner.actor.tenantId }, select: { requireTwoFactor: true } });
    if (tenant?.requireTwoFactor) {
      if (!data.code) throw needed;
      throw new AppError(AppErrorCode.FORBIDDEN, {
        userMessage: "Access denied. This tenant requires two-factor authentication: the user must turn it on in the app first.",
        reason: "TWO_FACTOR_REQUIRED",
      });
    }
  }
  const membership = await db.membership.findUnique({
    where: { tenantId_userId: { tenantId: partner.actor.tenantId, userId: user.id } },
    select: { id: true, status: true },
  });
  // The caller has just proved the password, so saying "not a member here" reveals nothing new.
  if (!membership) throw new AppError(AppErrorCode.FORBIDDEN, { userMessage: "Access denied. The user is not a member of this tenant." });
  if (membership.status !== "ACTIVE") throw new AppError(AppErrorCode.FORBIDDEN, { userMessage: "Access denied. The user's membership is suspended." });
  // Like every door into a tenant (server/authz/actor.ts): an unproven address sees no tenant's data.
  const verified = await db.user.findUnique({ where: { id: user.id }, select: { emailVerifiedAt: true } });
  if (!verified?.emailVerifiedAt) {
    throw new AppError(AppErrorCode.FORBIDDEN, { userMessage: "Access denied. The user has not confirmed their email address yet.", reason: "EMAIL_UNVERIFIED" });
  }
  const raw = newSecret(SECRET_PREFIX.user);
  const profile = await db.$transaction(async (tx) => {
    const token = await tx.apiToken.create({
      data: {
        tenantId: partner.actor.tenantId, kind: "USER", name: `User token for ${user.email}`, prefix: displayPrefix(raw),
        tokenHash: hashSecret(raw), scopes: [...partner.scopes], userId: user.id, parentId: partner.tokenId,
        expiresAt: new Date(Date.now() + USER_TOKEN_TTL_MS),
      },
      select: { id: true },
    });
    await recordAuditEvent(tx, {
      actor: partner.actor, tenantId: partner.actor.tenantId, action: "user_token.issued", targetType: "api_token", targetId: token.id,
      after: { userId: user.id, partnerTokenId: partner.tokenId },
    });
    return tx.user.findUniqueOrThrow({ where: { id: user.id }, select: { phone: true, avatar: true } });
  });
  const avatar = storedAvatarOf(profile.avatar);
  return {
    id: user.id,
    user_token: raw,
    name: displayNameOf(user),
    phone: profile.phone,
    login: user.email,
    email: user.email,
    // Seed 000 wants a URL; an integrator fetches it from elsewhere, so it is absolute (the public URL).
    avatar: avatar ? `${getEnv().publicUrl}${avatarPath(avatar.blobId)}` : null,
    is_approved: true,
  };
}
