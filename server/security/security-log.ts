/**
 * The security log of refused requests (ASVS 16.3): an authenticated caller refused with 403, or with the uniform 404
 * of another tenant's (or a missing) resource, leaves a `security.denied` audit event naming the actor, the route or
 * procedure, the reason and the IP. Hooked once per door (the tRPC tenant procedure, the REST runner), never in
 * services.
 *
 * At most one event per actor, route and minute: the dedupe is a RateLimit row (1 point per 60 s), so every app
 * instance shares it and an enumeration run cannot flood the log. Written with the global client AFTER the refused
 * call's transaction rolled back (a refusal changes nothing else); a failure to write is logged, never turned into a
 * different answer for the caller.
 */
import type { RequestMeta } from "../authz/actor.ts";
import { recordAuditEvent, type AuditActor } from "../audit/record.ts";
import type { Db } from "../db/client.ts";
import { AppErrorCode, isAppError } from "../errors.ts";
import { hit } from "./rate-limit.ts";

const DEDUPE = { points: 1, windowMs: 60_000 };

export type DeniedReason = "forbidden" | "not_found";

/** The refusal a security event records, or null for any other outcome. */
export function deniedReasonOf(e: unknown): DeniedReason | null {
  // A refusal with a reason asks the person to do something first (REAUTH_REQUIRED, TWO_FACTOR_REQUIRED): not a denial.
  if (isAppError(e) && (e as { reason?: unknown }).reason) return null;
  const code = isAppError(e) ? e.code : (e as { code?: unknown } | null)?.code;
  if (code === AppErrorCode.FORBIDDEN) return "forbidden";
  if (code === AppErrorCode.NOT_FOUND) return "not_found";
  return null;
}

/** `/api/v1/company/12/users/alice@x.test` → `/api/v1/company/:id/users/:email`, so ids do not make new routes. */
export function routePattern(pathname: string): string {
  return pathname
    .split("/")
    .map((seg) => {
      const s = decodeURIComponent(seg);
      if (/^\d+$/.test(s)) return ":id";
      if (s.includes("@")) return ":email";
      return s.length > 64 ? ":value" : seg;
    })
    .join("/");
}

export async function recordDenied(
  db: Db,
  event: {
    actor: { kind: "user" | "token" | "system"; userId: number | null; tokenId: number | null; meta: RequestMeta };
    tenantId: number | null;
    route: string;
    reason: DeniedReason;
    message?: string;
  },
): Promise<void> {
  const { actor } = event;
  const who = actor.tokenId !== null ? `t${actor.tokenId}` : actor.userId !== null ? `u${actor.userId}` : `ip${actor.meta.ip ?? "?"}`;
  try {
    if ((await hit(db, `security-denied:${who}:${event.route}`, DEDUPE)) > 0) return;
    const auditActor: AuditActor = { kind: actor.kind, userId: actor.userId, tokenId: actor.tokenId, meta: actor.meta } as AuditActor;
    await recordAuditEvent(db, {
      actor: auditActor,
      tenantId: event.tenantId,
      action: "security.denied",
      targetType: "route",
      targetId: event.route.slice(0, 200),
      after: { route: event.route, reason: event.reason, ip: actor.meta.ip, ...(event.message ? { message: event.message.slice(0, 300) } : {}) },
    });
  } catch (e) {
    console.error("[security] could not record a refused request:", e);
  }
}
