"use client";
/**
 * Client-side adjustments for the strict CSP of proxy.ts, loaded on every page by the root layout:
 * - libraries that inject <style> elements at runtime (the Radix dialog's scroll lock, through react-style-singleton
 *   and get-nonce) tag them with this page's nonce, so `style-src` needs no 'unsafe-inline'. The nonce is read from
 *   the framework's own nonce'd script (the `nonce` property survives the browser's nonce hiding), so it never
 *   travels in the page's data;
 * - zod parses without its `new Function` JIT: its probe for eval is a reported violation under a policy without
 *   'unsafe-eval', even though zod catches the refusal (app/_components/ui/form.tsx says the same for forms).
 */
import { setNonce } from "get-nonce";
// Only zod's core config (the same global object `z.config` writes): importing "zod" here put the whole library,
// ~25 kB gzip, into every page's first-load JavaScript.
import { config as zodConfig } from "zod/v4/core";

if (typeof document !== "undefined") {
  zodConfig({ jitless: true });
  const nonce = document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce;
  if (nonce) setNonce(nonce);
}

export function CspCompat() {
  return null;
}
