"use client";
/**
 * Mounted on every page (app/_trpc/react.tsx): registers the re-authentication prompt with the tRPC link
 * (app/_trpc/reauth-link.ts) and loads the dialog itself (./reauth-dialog.tsx, with its form, zod and Radix Dialog)
 * only the first time a change asks for it, so that weight stays out of every page's first-load JavaScript.
 * Once loaded the dialog stays mounted and is opened and closed from here.
 */
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";
import { setReauthPrompt } from "@/app/_trpc/reauth-link.ts";

const ReauthDialog = lazy(() => import("./reauth-dialog.tsx").then((m) => ({ default: m.ReauthDialog })));

export function ReauthHost() {
  const pending = useRef<((ok: boolean) => void) | null>(null);
  // How many prompts were asked for; 0 means none yet, so the dialog's code has not been loaded.
  const [request, setRequest] = useState(0);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    setReauthPrompt(
      () =>
        new Promise<boolean>((resolve) => {
          pending.current?.(false);
          pending.current = resolve;
          setRequest((n) => n + 1);
          setOpen(true);
        }),
    );
    return () => setReauthPrompt(null);
  }, []);

  const finish = useCallback((ok: boolean) => {
    const resolve = pending.current;
    pending.current = null;
    setOpen(false);
    resolve?.(ok);
  }, []);

  if (request === 0) return null;
  return (
    <Suspense fallback={null}>
      <ReauthDialog open={open} request={request} onFinish={finish} />
    </Suspense>
  );
}
