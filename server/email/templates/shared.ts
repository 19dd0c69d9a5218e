/**
 * What every email template shares: the rendered shape, cleaning of what people typed, http(s)-only links, the date
 * format, and rendering (React Email to HTML, and the plain-text part derived from that same HTML).
 */
import { render, toPlainText } from "@react-email/components";
import type { ReactElement } from "react";

export type RenderedEmail = { subject: string; text: string; html: string };

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Templates do not need it (React escapes text and attributes); kept for callers that build HTML by hand. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Drops control characters (keeping line breaks in multi-line fields) so nothing odd reaches a header or a body. */
export function clean(s: string, multiline = false): string {
  const noCtl = s.replace(multiline ? /[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F]/g : /[\u0000-\u001F\u007F]/g, multiline ? "" : " ");
  return multiline ? noCtl.replace(/\r\n?/g, "\n").trim() : noCtl.trim();
}

/** Links in emails are http(s) only: anything else (javascript:, data:) is a bug in the caller, so it throws. */
export function safeUrl(url: string): string {
  const u = new URL(url);
  if (u.protocol !== "https:" && u.protocol !== "http:") throw new Error(`email link must be http(s), got ${u.protocol}`);
  return u.toString();
}

export function formatDate(d: Date): string {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(d) + " UTC";
}

export function subjectLine(s: string): string {
  return clean(s).slice(0, 250);
}

/** "Hi Ada," or "Hi," when the name is unknown. */
export function greeting(name: string | null | undefined): string {
  const n = name ? clean(name) : "";
  return n ? `Hi ${n},` : "Hi,";
}

/**
 * Renders once to HTML; the text part is that HTML converted to plain text (html-to-text, as React Email does for
 * `render(el, { plainText: true })`), so an email is written once. Elements marked data-skip-in-text (the preview
 * line, the "or open this link" repeat) stay out of the text.
 */
export async function renderEmail(subject: string, element: ReactElement): Promise<RenderedEmail> {
  const html = await render(element);
  const text = toPlainText(html).trim();
  return { subject, text, html };
}
