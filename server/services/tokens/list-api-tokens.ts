/**
 * The tokens a member may see: with tokens.manage, the tenant's partner tokens and everyone's personal tokens;
 * without it, only their own personal tokens. USER tokens (issued by POST /api/v1/auth) are shown as a live count
 * on the partner token they were issued under. The hash never leaves this function.
 */
import { can, type Actor } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { parseInput } from "../parse.ts";
import { ZListApiTokensInput, type TApiTokenListItem, type TListApiTokensInput } from "./tokens.schema.ts";

// Tokens are created by hand; a tenant with more than this has a problem the list would not solve.
const MAX_TOKENS = 1000;

/** Lists the API tokens visible to the actor, newest first. */
export async function listApiTokens(db: Db, actor: Actor, input: TListApiTokensInput = {}): Promise<TApiTokenListItem[]> {
  const manage = can(actor, "tokens.manage");
  if (!manage && actor.userId === null) throw new AppError(AppErrorCode.FORBIDDEN, { userMessage: "Access denied. Missing permission: tokens.manage" });
  parseInput(ZListApiTokensInput, input);
  const now = new Date();
  const rows = await db.apiToken.findMany({
    where: manage
      ? { tenantId: actor.tenantId, kind: { in: ["PARTNER", "PERSONAL"] } }
      : { tenantId: actor.tenantId, kind: "PERSONAL", userId: actor.userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: MAX_TOKENS,
    select: {
      id: true, name: true, kind: true, prefix: true, scopes: true, createdAt: true, expiresAt: true, lastUsedAt: true, revokedAt: true,
      createdBy: { select: { id: true, email: true } },
      user: { select: { id: true, email: true } },
      _count: { select: { children: { where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } } } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind === "PARTNER" ? "PARTNER" : "PERSONAL",
    prefix: r.prefix,
    scopes: r.scopes,
    createdBy: r.createdBy,
    owner: r.kind === "PERSONAL" ? r.user : null,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    lastUsedAt: r.lastUsedAt,
    revokedAt: r.revokedAt,
    userTokenCount: r.kind === "PARTNER" ? r._count.children : 0,
  }));
}
