/**
 * An integrator files a join request for a person (POST /api/v1/tenants/members/request): only a partner token acting
 * as itself may (a person's token, or a partner acting as a user, is FORBIDDEN: people ask for themselves on
 * /join/[tenant]). The tenant is the token's and its join policy applies. A person without an account gets a user row
 * without a password, as an invitation does, and a verification email (`verificationBaseUrl`, optional, must be on
 * the tenant's allow-list like an invitation's: 422 otherwise); after confirming, they choose a password through
 * "Forgot password?" (the reset link proves the mailbox) or an invitation. Until the address is verified, an accepted
 * membership stays pending verification (server/authz/actor.ts).
 */
import { commitVerificationEmail, prepareVerificationEmail } from "../../auth/email-verification.ts";
import type { Actor } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { hit, limit } from "../../security/rate-limit.ts";
import { verifyEmailLimitKey } from "../account/request-verification-email.ts";
import { assertLinkBase, loadTenantForInvites } from "../invitations/invitation-record.ts";
import { parseInput } from "../parse.ts";
import { ZCreateJoinRequestOnBehalfInput, type TCreateJoinRequestOnBehalfInput, type TJoinRequest } from "./join-requests.schema.ts";
import { fileJoinRequest, findRequestableTenant, withPendingConflict } from "./request-record.ts";

export async function createJoinRequestOnBehalf(db: Db, actor: Actor, input: TCreateJoinRequestOnBehalfInput): Promise<TJoinRequest> {
  if (actor.kind !== "token" || actor.userId !== null) {
    throw new AppError(AppErrorCode.FORBIDDEN, { userMessage: "Access denied. Only a partner token may file a join request on someone's behalf." });
  }
  const data = parseInput(ZCreateJoinRequestOnBehalfInput, input);
  const tenant = await findRequestableTenant(db, { id: actor.tenantId });
  const links = await loadTenantForInvites(db, actor.tenantId);
  assertLinkBase(links, data.verificationBaseUrl);
  const known = await db.user.findUnique({ where: { email: data.email }, select: { emailVerifiedAt: true } });
  // A new address (or one still unproven) gets a verification link, at most VERIFY_EMAIL times per hour per address;
  // past that the request is still filed, only without another email.
  const verify = !known?.emailVerifiedAt && (await hit(db, verifyEmailLimitKey(data.email), limit("verifyEmail"))) === 0;
  const mail = verify
    ? await prepareVerificationEmail({ email: data.email }, {
        ...(data.verificationBaseUrl !== undefined ? { base: data.verificationBaseUrl } : {}),
        allowedOrigins: links.allowedLinkOrigins, tenantId: actor.tenantId,
      })
    : null;
  return withPendingConflict(() =>
    db.$transaction(async (tx) => {
      const existing = await tx.user.findUnique({ where: { email: data.email }, select: { id: true, disabledAt: true, emailVerifiedAt: true } });
      if (existing?.disabledAt) throw new AppError(AppErrorCode.CONFLICT, { userMessage: "This account is disabled and cannot ask to join." });
      const user = existing ?? (await tx.user.create({ data: { email: data.email }, select: { id: true, disabledAt: true, emailVerifiedAt: true } }));
      const request = await fileJoinRequest(tx, tenant, { userId: user.id, message: data.message, actor, via: "partner" });
      if (mail && !user.emailVerifiedAt) await commitVerificationEmail(tx, { id: user.id, email: data.email }, mail);
      return request;
    }),
  );
}
