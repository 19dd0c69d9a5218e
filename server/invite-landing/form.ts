/**
 * The common frame of the invitation page's form posts (accept, decline, sign up): same-origin check, the token from
 * the invitation cookie, optionally a signed-in user, and AppErrors sent back to the page as a readable message.
 */
import { cookies } from "next/headers";
import type { NextResponse } from "next/server";
import { auth } from "../auth/index.ts";
import type { RequestMeta } from "../authz/actor.ts";
import { getDb, type Db } from "../db/client.ts";
import { isAppError } from "../errors.ts";
import { clearInviteCookie, readInviteCookie, seeOther } from "./cookie.ts";
import { guardInviteLookup } from "../security/invite-token-guard.ts";
import { isSameOriginRequest } from "../security/origin.ts";
import { metaFromHeaders } from "../trpc/context.ts";

type Call = { db: Db; token: string; userId: number | null; meta: RequestMeta; req: Request };

export async function handleInviteForm(
  req: Request,
  opts: { signedIn: boolean },
  fn: (call: Call) => Promise<NextResponse>,
): Promise<NextResponse> {
  const back = (query: string) => seeOther(`/invite?${query}`);
  if (!isSameOriginRequest(req)) return back("error=origin");
  const session = opts.signedIn ? await auth() : null;
  if (opts.signedIn && !session) return seeOther("/signin?callbackUrl=%2Finvite");
  const token = readInviteCookie(await cookies());
  if (!token) return back("error=link");
  try {
    const [db, meta] = [await getDb(), metaFromHeaders(req.headers)];
    // Token guessing through the form posts counts like every other invitation-token lookup (INVITE_TOKEN_IP).
    return await guardInviteLookup(db, meta.ip, () => fn({ db, token, userId: session?.user.id ?? null, meta, req }));
  } catch (e) {
    if (!isAppError(e)) throw e;
    return back(`error=${encodeURIComponent(e.userMessage)}`);
  }
}

/** Leaves the invitation flow: the cookie has done its job. */
export function finish(path: string): NextResponse {
  const res = seeOther(path);
  clearInviteCookie(res);
  return res;
}
