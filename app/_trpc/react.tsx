"use client";
/** The browser side of tRPC: typed hooks over HTTP batch requests to /api/trpc. */
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { httpBatchLink } from "@trpc/client";
import { createTRPCReact } from "@trpc/react-query";
import { useState } from "react";
import superjson from "superjson";
import type { AppRouter } from "@/server/trpc/root.ts";
import { makeQueryClient } from "./query-client.ts";

export const trpc = createTRPCReact<AppRouter>();

let browserClient: QueryClient | undefined;
const getQueryClient = () => {
  if (typeof window === "undefined") return makeQueryClient();
  return (browserClient ??= makeQueryClient());
};

export function TRPCProvider({ children }: { children: React.ReactNode }) {
  const queryClient = getQueryClient();
  const [client] = useState(() =>
    trpc.createClient({ links: [httpBatchLink({ url: "/api/trpc", transformer: superjson })] }),
  );
  return (
    <trpc.Provider client={client} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </trpc.Provider>
  );
}
