/**
 * Throttles guessing invitation tokens (INVITE_TOKEN_IP): every door that looks an invitation up by its raw token
 * (the /invite landing and page, the tRPC preview/accept/decline procedures, the invitation form posts) runs the
 * lookup through here. A lookup that finds nothing counts one point against the caller's IP; once the IP has used
 * its points it is refused with 429 and Retry-After before any lookup, so a guesser learns nothing more until the
 * window ends. Real invitees open one link and never come near the limit.
 */
import type { Db } from "../db/client.ts";
import { AppErrorCode, isAppError } from "../errors.ts";
import { blockedFor, hit, limit, tooManyRequests } from "./rate-limit.ts";

const keyOf = (ip: string | null) => `invite-token:ip:${ip ?? "unknown"}`;

/** Seconds this IP must wait before its next invitation-token lookup, or 0. */
export function inviteLookupBlockedFor(db: Db, ip: string | null): Promise<number> {
  return blockedFor(db, keyOf(ip), limit("inviteTokenIp"));
}

/** Runs `lookup` unless the IP is blocked (429); a null result or a NOT_FOUND counts as a failed guess. */
export async function guardInviteLookup<T>(db: Db, ip: string | null, lookup: () => Promise<T>): Promise<T> {
  const blocked = await inviteLookupBlockedFor(db, ip);
  if (blocked > 0) throw tooManyRequests(blocked, "invitation links tried");
  const failed = () => hit(db, keyOf(ip), limit("inviteTokenIp"));
  try {
    const result = await lookup();
    if (result === null) await failed();
    return result;
  } catch (e) {
    if (isAppError(e) && e.code === AppErrorCode.NOT_FOUND) await failed();
    throw e;
  }
}
