/** Helpers for pages that call the in-process caller: which tRPC failure a page should turn into what. */
import { TRPCError } from "@trpc/server";

export const trpcCode = (e: unknown): string | null => (e instanceof TRPCError ? e.code : null);
export const trpcMessage = (e: unknown): string => (e instanceof Error ? e.message : "Something went wrong.");
