import { issueUserToken } from "@/server/services/auth/issue-user-token.ts";
import { AppError, AppErrorCode } from "@/server/errors.ts";
import { seed000Route } from "@/server/rest/seed000.ts";

/** Seed 000 #0: exchange a user's login and password for a user token, under a partner token. */
export const POST = seed000Route({ body: true }, async ({ db, principal, body }) => {
  const partner = principal?.partner;
  if (!principal || !partner || principal.actor.userId !== null) {
    throw new AppError(AppErrorCode.UNAUTHORIZED, { userMessage: "Authentication needed. Use a partner token." });
  }
  const data = await issueUserToken(db, { actor: principal.actor, tokenId: partner.id, scopes: partner.scopes }, body as never);
  return { status: 201, data, meta: {} };
});
