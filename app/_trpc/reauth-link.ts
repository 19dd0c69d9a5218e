"use client";
/**
 * A tRPC link that turns a FORBIDDEN with reason REAUTH_REQUIRED (server/auth/reauth.ts) into a prompt: it asks the
 * mounted re-authentication host (app/_components/reauth/reauth-host.tsx, which loads the dialog on demand) for the
 * password or a code and, once that succeeded, sends the same mutation again. Cancelled, the original error reaches the page as usual. Every
 * page gets this for free, so no form has to know which actions are sensitive.
 */
import type { TRPCLink } from "@trpc/client";
import type { AnyRouter } from "@trpc/server";
import { observable } from "@trpc/server/observable";

type Prompt = () => Promise<boolean>;
let prompt: Prompt | null = null;

/** Registered by the dialog while it is mounted. */
export function setReauthPrompt(p: Prompt | null): void {
  prompt = p;
}

const needsReauth = (err: unknown) => (err as { data?: { reason?: unknown } } | null)?.data?.reason === "REAUTH_REQUIRED";

export function reauthLink<TRouter extends AnyRouter>(): TRPCLink<TRouter> {
  return () =>
    ({ next, op }) =>
      observable((observer) => {
        let retried = false;
        let sub: { unsubscribe: () => void } | null = null;
        const run = () => {
          sub = next(op).subscribe({
            next: (v) => observer.next(v),
            complete: () => observer.complete(),
            error: (err) => {
              if (retried || op.type !== "mutation" || !needsReauth(err) || !prompt) return observer.error(err);
              retried = true;
              prompt().then(
                (ok) => (ok ? run() : observer.error(err)),
                () => observer.error(err),
              );
            },
          });
        };
        run();
        return () => sub?.unsubscribe();
      });
}
