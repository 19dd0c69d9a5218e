/** The session of the current request, for pages and the tRPC context. */
import "server-only";
import { getServerSession, type Session } from "next-auth";
import { headers } from "next/headers";
import { getAuthOptions } from "./options.ts";

export async function auth(): Promise<Session | null> {
  // Reading request headers first marks the page dynamic before the options (and so the secret) are resolved:
  // `next build` must never resolve, or generate, the runtime secret.
  await headers();
  try {
    return await getServerSession(getAuthOptions());
  } catch {
    return null;
  }
}
