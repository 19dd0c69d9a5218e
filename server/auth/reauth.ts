/**
 * Re-authentication freshness. Creating API tokens, changing roles, rights or owners, turning two-factor on or off
 * and changing a tenant's security settings need the password (or a code) entered in this session within the last
 * REAUTH_MINUTES (10 by default): a session cookie left on an unlocked laptop, or stolen, is then not enough.
 *
 * The check sits in the services (authorization is their first line), so no door can skip it; it applies only to
 * people signed in with a cookie session. Bearer tokens under /api/v1 are exempt: the token is the credential and
 * its scopes bound it, so the seed wire answers do not change.
 */
import type { Actor } from "../authz/actor.ts";
import { getEnv } from "../env.ts";
import { AppError, AppErrorCode } from "../errors.ts";

export const REAUTH_REQUIRED = "REAUTH_REQUIRED";

export const reauthRequired = () =>
  new AppError(AppErrorCode.FORBIDDEN, { userMessage: "Confirm it is you: enter your password or a two-factor code.", reason: REAUTH_REQUIRED });

/** Whether a session's last proof of identity is still recent enough for a sensitive change. */
export function isFresh(reauthAt: Date | null | undefined, now = new Date()): boolean {
  if (!reauthAt) return false;
  const age = now.getTime() - reauthAt.getTime();
  return age >= -60_000 && age <= getEnv().reauthMs;
}

/**
 * Throws FORBIDDEN with reason REAUTH_REQUIRED unless `who` is a token or the system, or proved itself recently.
 * `who` is a tenant actor or an account-level caller ({ kind: "user", reauthAt }).
 */
export function assertRecentAuth(who: Pick<Actor, "kind" | "reauthAt">, now = new Date()): void {
  if (who.kind !== "user") return;
  if (!isFresh(who.reauthAt, now)) throw reauthRequired();
}
