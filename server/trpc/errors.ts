/** Helpers for pages that call the in-process caller: which tRPC failure a page should turn into what. */
import { TRPCError } from "@trpc/server";

export const trpcCode = (e: unknown): string | null => (e instanceof TRPCError ? e.code : null);
export const trpcMessage = (e: unknown): string => (e instanceof Error ? e.message : "Something went wrong.");
/** The AppError reason behind a tRPC failure (e.g. TWO_FACTOR_REQUIRED, REAUTH_REQUIRED), or null. */
export const trpcReason = (e: unknown): string | null => {
  const cause = e instanceof TRPCError ? e.cause : null;
  const reason = (cause as { reason?: unknown } | null)?.reason;
  return typeof reason === "string" ? reason : null;
};
