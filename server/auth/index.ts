/** The session of the current request, for pages and the tRPC context. */
import "server-only";
import { getServerSession, type Session } from "next-auth";
import { getAuthOptions } from "./options.ts";

export async function auth(): Promise<Session | null> {
  try {
    return await getServerSession(getAuthOptions());
  } catch {
    return null;
  }
}
