/**
 * Uses an emailed verification link: marks the address verified (tenants then show the person their data) and
 * answers what happened, so the page can say verified, expired or already used. The link proves only the address
 * it was sent to: if the account's address changed since, the link is void.
 */
import { consumeAccountToken } from "../../auth/account-tokens.ts";
import type { RequestMeta } from "../../authz/actor.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { parseInput } from "../parse.ts";
import { ZVerifyEmailInput, type TVerifyEmailInput, type TVerifyEmailOutput } from "./account.schema.ts";

export async function verifyEmail(db: Db, input: TVerifyEmailInput, meta: RequestMeta): Promise<TVerifyEmailOutput> {
  const { token } = parseInput(ZVerifyEmailInput, input);
  return db.$transaction(async (tx) => {
    const used = await consumeAccountToken(tx, token, "VERIFY_EMAIL");
    if (!used.ok) return { state: used.state, needsPassword: false };
    const user = await tx.user.findUnique({ where: { id: used.token.userId }, select: { id: true, email: true, emailVerifiedAt: true, passwordHash: true } });
    if (!user || user.email !== used.token.email) return { state: "invalid", needsPassword: false };
    if (!user.emailVerifiedAt) {
      await tx.user.update({ where: { id: user.id }, data: { emailVerifiedAt: new Date() } });
      await recordAuditEvent(tx, {
        actor: { kind: "user", userId: user.id, tokenId: null, meta }, tenantId: null,
        action: "user.email_verified", targetType: "user", targetId: user.id, after: { via: "verification_link" },
      });
    }
    return { state: "verified", needsPassword: user.passwordHash === null };
  });
}
