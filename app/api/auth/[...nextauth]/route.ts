import NextAuth from "next-auth";
import { getAuthOptions } from "@/server/auth/options.ts";

type Ctx = { params: Promise<{ nextauth: string[] }> };

// Options are built per call (cached inside) because the secret is resolved at boot, not at build time.
const handler = (req: Request, ctx: Ctx) => NextAuth(req as never, ctx as never, getAuthOptions());

export { handler as GET, handler as POST };
