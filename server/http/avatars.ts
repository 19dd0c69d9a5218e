/**
 * The avatar doors, re-exported by Next route files (app/avatars/[blobId]/route.ts, app/account/avatar/route.ts) and
 * so served the same under `next start` and Roster's own server (server/cli/serve.ts hands every non-API path to
 * Next): GET serves a content-addressed blob, POST takes the signed-in person's upload. The work is in
 * server/services/account/avatar.ts.
 */
import { getDb } from "../db/client.ts";
import { AppError, AppErrorCode, ERROR_TABLE, isAppError } from "../errors.ts";
import { readBytesCapped } from "../security/body-limit.ts";
import { isSameOriginRequest } from "../security/origin.ts";
import { AVATAR_MAX_BYTES, avatarTooLarge, getAvatarBlob, setOwnAvatar, avatarPath } from "../services/account/avatar.ts";
import type { AccountSelf } from "../services/account/self.ts";
import { createContext, resolveCaller } from "../trpc/context.ts";

type Params = { params: Promise<{ blobId: string }> };

/** GET /avatars/<blobId>: the bytes never change under an id (it is their hash), so caches may keep them forever. */
export async function avatarGET(req: Request, { params }: Params): Promise<Response> {
  const { blobId } = await params;
  const blob = await getAvatarBlob(await getDb(), blobId);
  if (!blob) return new Response("Not found.", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
  const etag = `"${blobId}"`;
  const headers = {
    "content-type": blob.contentType,
    "cache-control": "public, max-age=31536000, immutable",
    etag,
    "content-length": String(blob.bytes.byteLength),
  };
  if (req.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(Buffer.from(blob.bytes), { status: 200, headers });
}

const problem = (e: AppError) =>
  Response.json(
    { code: e.code, message: e.userMessage, issues: e.issues ?? null, reason: e.reason ?? null },
    { status: e.status, headers: { "cache-control": "no-store", ...(e.retryAfter ? { "retry-after": String(e.retryAfter) } : {}) } },
  );

/**
 * POST /account/avatar: the image file as the raw request body (any image Content-Type; the bytes decide). Answers
 * 200 `{ avatar: { url, thumbnailUrl } }`, or 413 over 2 MB, 422 for anything that is not a readable image, 401
 * without a session, 403 from another site. The cookie session is resolved as tRPC resolves it (and counted
 * against the same per-user limit).
 */
export async function accountAvatarPOST(req: Request): Promise<Response> {
  try {
    if (!isSameOriginRequest(req)) throw new AppError(AppErrorCode.FORBIDDEN, { userMessage: "Cross-site upload refused." });
    const ctx = await createContext({ headers: req.headers });
    const caller = await resolveCaller(ctx, null);
    if (!caller.session) throw new AppError(AppErrorCode.UNAUTHORIZED, { userMessage: "Sign in first." });
    if (caller.retryAfter > 0) throw new AppError(AppErrorCode.TOO_MANY_REQUESTS, { retryAfter: caller.retryAfter });
    const body = await readBytesCapped(req, AVATAR_MAX_BYTES);
    if (body === null) throw avatarTooLarge();
    const self: AccountSelf = {
      kind: "user",
      userId: caller.session.user.id,
      sessionId: caller.session.sessionId,
      reauthAt: caller.session.reauthAt ? new Date(caller.session.reauthAt) : null,
      meta: ctx.meta,
    };
    const avatar = await setOwnAvatar(ctx.db, self, body);
    return Response.json({ avatar: { url: avatarPath(avatar.blobId), thumbnailUrl: avatarPath(avatar.thumbnailBlobId) } }, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    if (isAppError(e)) return problem(e);
    console.error("[avatar] upload failed:", e);
    return problem(new AppError(AppErrorCode.INTERNAL, { userMessage: ERROR_TABLE.INTERNAL.message }));
  }
}
