/**
 * Server components call tRPC in-process (no HTTP) through this caller; `HydrateClient` hands prefetched queries to
 * client islands. One context per request (React `cache`).
 */
import "server-only";
import { createHydrationHelpers } from "@trpc/react-query/rsc";
import { headers } from "next/headers";
import { cache } from "react";
import { makeQueryClient } from "./query-client.ts";
import { createContext } from "@/server/trpc/context.ts";
import { createCaller, type AppRouter } from "@/server/trpc/root.ts";

const getContext = cache(async () => createContext({ headers: new Headers(await headers()) }));
const caller = createCaller(getContext);

export const { trpc: api, HydrateClient } = createHydrationHelpers<AppRouter>(caller, cache(makeQueryClient));
