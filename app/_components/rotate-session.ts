"use client";
/**
 * Asks next-auth for a new session cookie after a change to one's own password or two-factor, or a
 * re-authentication: the server marked the old session for rotation, and the jwt callback (trigger "update" with
 * `{ rotate: true }`, server/auth/options.ts) replaces its row and secret. Same-origin POST with next-auth's CSRF
 * token, exactly what `useSession().update()` sends, without needing a SessionProvider.
 */
import { getCsrfToken } from "next-auth/react";

export async function rotateSessionCookie(): Promise<boolean> {
  const csrfToken = await getCsrfToken();
  if (!csrfToken) return false;
  const res = await fetch("/api/auth/session", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ csrfToken, data: { rotate: true } }),
  });
  if (!res.ok) return false;
  const session = (await res.json().catch(() => null)) as { sessionId?: number } | null;
  return !!session?.sessionId;
}
