/**
 * The browser's confirm() is gone from app/ for good: it is not focus-managed or styled, cannot name what happens in
 * structured text, and Chromium can suppress it. Destructive actions confirm in ConfirmDialog
 * (app/_components/ui/dialog.tsx) instead; this test fails on any call that comes back.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (/\.(tsx?|jsx?|mjs)$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

/** Comments may mention window.confirm() (to say what replaced it); only code counts. */
const stripComments = (src: string) => src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");

/**
 * A call of the global: `confirm(` not preceded by a name character, a dot or `function ` (a local function named
 * confirm, as ConfirmDialog has, is fine), or any `window` / `globalThis` / `self` confirm, called or passed.
 */
const NATIVE_CONFIRM = /(?<![\w$.]|function\s)confirm\s*\(|\b(?:window|globalThis|self)\s*(?:\.\s*confirm\b|\[\s*["'`]confirm["'`]\s*\])/;

function offenders(files: string[]): string[] {
  return files.flatMap((file) =>
    stripComments(fs.readFileSync(file, "utf8"))
      .split("\n")
      .flatMap((line, i) => (NATIVE_CONFIRM.test(line) ? [`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`] : [])),
  );
}

describe("native confirm()", () => {
  it("should not be called anywhere in app/", () => {
    const files = walk(path.join(ROOT, "app"));
    expect(files.length).toBeGreaterThan(50);
    expect(offenders(files), "use ConfirmDialog from app/_components/ui instead of the browser's confirm()").toEqual([]);
  });

  it("should catch the spellings a call could come back in, and not a local function named confirm", () => {
    const caught = ["if (confirm(`Remove?`)) go();", "if (!window.confirm('x')) return;", "globalThis.confirm(msg)", "const ok = self .confirm", 'window["confirm"]("x")'];
    for (const line of caught) expect(NATIVE_CONFIRM.test(line), line).toBe(true);
    const allowed = ["async function confirm() {", "onClick={confirm}", "form.confirm(x)", "onConfirm={() => go()}", "confirmLabel=\"Remove\"", 'path: ["confirm"]'];
    for (const line of allowed) expect(NATIVE_CONFIRM.test(line), line).toBe(false);
  });
});
