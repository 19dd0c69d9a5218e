/**
 * Seed 000's token exchange, `/api/v1/auth`. Dispatched by REST_ROUTES (./index.ts); app/api/v1/auth/route.ts
 * re-exports this handler.
 */
import { AppError, AppErrorCode } from "../../errors.ts";
import { issueUserToken } from "../../services/auth/issue-user-token.ts";
import { seed000Route } from "../seed000.ts";

/** Seed 000 #0: exchange a user's login and password for a user token, under a partner token. */
export const authPOST = seed000Route({ body: true }, async ({ db, principal, body }) => {
  const partner = principal?.partner;
  if (!principal || !partner || principal.actor.userId !== null) {
    throw new AppError(AppErrorCode.UNAUTHORIZED, { userMessage: "Authentication needed. Use a partner token." });
  }
  const data = await issueUserToken(db, { actor: principal.actor, tokenId: partner.id, scopes: partner.scopes }, body as never);
  return { status: 201, data, meta: {} };
});
