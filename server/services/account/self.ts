/** The signed-in person acting on their own account (no tenant): the account use cases' actor. */
import type { RequestMeta } from "../../authz/actor.ts";

export type AccountSelf = {
  /** Always "user": account use cases are reached only through a cookie session. */
  kind: "user";
  userId: number;
  /** The current AuthSession row (rotated after two-factor changes and re-authentication). */
  sessionId: number;
  /** When the password or a code was last entered in this session (re-authentication freshness). */
  reauthAt: Date | null;
  meta: RequestMeta;
};

export const auditActorOf = (self: AccountSelf) => ({ kind: "user" as const, userId: self.userId, tokenId: null, meta: self.meta });
