"use client";
/** The browser side of tRPC: typed hooks over HTTP batch requests to /api/trpc. */
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { httpBatchLink } from "@trpc/client";
import { createTRPCReact } from "@trpc/react-query";
import { useState } from "react";
import superjson from "superjson";
import type { AppRouter } from "@/server/trpc/root.ts";
import { ReauthHost } from "@/app/_components/reauth/reauth-host.tsx";
import { makeQueryClient } from "./query-client.ts";
import { reauthLink } from "./reauth-link.ts";

export const trpc = createTRPCReact<AppRouter>();

let browserClient: QueryClient | undefined;
const getQueryClient = () => {
  if (typeof window === "undefined") return makeQueryClient();
  return (browserClient ??= makeQueryClient());
};

export function TRPCProvider({ children }: { children: React.ReactNode }) {
  const queryClient = getQueryClient();
  const [client] = useState(() =>
    // maxItems matches the server's maxBatchSize (server/trpc/http.ts): a bigger batch would be refused whole.
    // reauthLink: a REAUTH_REQUIRED refusal opens the password prompt and retries the mutation once it succeeded.
    trpc.createClient({ links: [reauthLink<AppRouter>(), httpBatchLink({ url: "/api/trpc", transformer: superjson, maxItems: 10 })] }),
  );
  return (
    <trpc.Provider client={client} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>
        {children}
        <ReauthHost />
      </QueryClientProvider>
    </trpc.Provider>
  );
}
