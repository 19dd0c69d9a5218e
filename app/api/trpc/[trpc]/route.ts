import { createContext } from "@/server/trpc/context.ts";
import { handleTrpcRequest } from "@/server/trpc/http.ts";

// Origin check, batch limit and status mapping live in server/trpc/http.ts.
const handler = (req: Request) => handleTrpcRequest(req, () => createContext({ headers: req.headers }));

export { handler as GET, handler as POST };
