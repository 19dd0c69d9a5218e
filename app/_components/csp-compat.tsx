"use client";
/**
 * Lets libraries that inject <style> elements at runtime (the Radix dialog's scroll lock, through
 * react-style-singleton and get-nonce) tag them with this page's CSP nonce, so `style-src` needs no 'unsafe-inline'.
 * The nonce is read from the framework's own nonce'd script (the `nonce` property survives the browser's nonce
 * hiding), so it never travels in the page's data.
 */
import { setNonce } from "get-nonce";

if (typeof document !== "undefined") {
  const nonce = document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce;
  if (nonce) setNonce(nonce);
}

export function StyleNonce() {
  return null;
}
