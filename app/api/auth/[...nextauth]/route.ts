import NextAuth from "next-auth";
import { getAuthOptions } from "@/server/auth/options.ts";
import { isSameOriginRequest } from "@/server/security/origin.ts";

type Ctx = { params: Promise<{ nextauth: string[] }> };

// Options are built per call (cached inside) because the secret is resolved at boot, not at build time.
// Every next-auth POST (sign-in, sign-out, session update) must come from our own pages: next-auth's CSRF token is
// the first wall, the same-origin check (as for tRPC and the invitation forms) the second.
const handler = (req: Request, ctx: Ctx) => {
  if (req.method === "POST" && !isSameOriginRequest(req)) {
    return Response.json({ error: "Cross-origin requests are refused." }, { status: 403, headers: { "cache-control": "no-store" } });
  }
  return NextAuth(req as never, ctx as never, getAuthOptions());
};

export { handler as GET, handler as POST };
