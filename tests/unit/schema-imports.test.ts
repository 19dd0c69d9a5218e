/**
 * Browser code may share validation with the server only through `*.schema.ts` files, and those import nothing but
 * zod and other schema files, so a client form can never pull server code (Prisma, fs, secrets) into the bundle.
 * Type-only imports are erased at build time and may name anything.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * Schema files that still import server code, and why. None may be reachable from a client file (checked below);
 * the list only shrinks.
 */
const NOT_YET_PURE: Record<string, string> = {
  "server/services/account/account.schema.ts": "ZNewPassword checks the shipped common-password list, read with fs",
  "server/services/tenants/tenants.schema.ts": "ZPassword is ZNewPassword (fs, as above)",
  "server/services/tokens/tokens.schema.ts": "token scopes are the catalog's system permissions (server/authz/catalog.ts)",
};

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "generated" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (/\.(ts|tsx)$/.test(entry.name)) out.push(full);
  }
  return out;
}

const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join("/");

/** Value imports and re-exports of a file, resolved to repository paths ("zod" stays a bare name). */
function imports(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const specs: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?["']([^"']+)["']/gm)) {
    if (!m[1]) specs.push(m[2]!);
  }
  for (const m of text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)) specs.push(m[1]!);
  return specs.map((s) => (s.startsWith("@/") ? rel(path.join(ROOT, s.slice(2))) : s.startsWith(".") ? rel(path.resolve(path.dirname(file), s)) : s));
}

const isSchema = (p: string) => p.startsWith("server/") && p.endsWith(".schema.ts");
const clientFiles = walk(path.join(ROOT, "app")).filter((f) => /^\s*["']use client["']/.test(fs.readFileSync(f, "utf8")));
const schemaFiles = walk(path.join(ROOT, "server")).filter((f) => isSchema(rel(f)));

describe("schema-only imports from the browser", () => {
  it("should find the client components and the schema files it checks", () => {
    expect(clientFiles.map(rel)).toContain("app/(admin)/t/[tenant]/pending/invite-form.tsx");
    expect(schemaFiles.map(rel)).toContain("server/services/invitations/invitations.schema.ts");
  });

  it("should let client components import from server/ only *.schema.ts files", () => {
    const bad = clientFiles.flatMap((f) => imports(f).filter((p) => p.startsWith("server/") && !isSchema(p)).map((p) => `${rel(f)} -> ${p}`));
    expect(bad).toEqual([]);
  });

  it("should let *.schema.ts files import nothing but zod and other *.schema.ts files", () => {
    const bad = schemaFiles
      .filter((f) => !(rel(f) in NOT_YET_PURE))
      .flatMap((f) => imports(f).filter((p) => p !== "zod" && !isSchema(p)).map((p) => `${rel(f)} -> ${p}`));
    expect(bad).toEqual([]);
  });

  it("should keep the schema files that still import server code out of every client component's reach", () => {
    const seen = new Set<string>();
    const reach = (p: string, from: string): string[] => {
      if (!isSchema(p) || seen.has(p)) return [];
      seen.add(p);
      if (p in NOT_YET_PURE) return [`${from} reaches ${p}`];
      return imports(path.join(ROOT, p)).flatMap((q) => reach(q, from));
    };
    const bad = clientFiles.flatMap((f) => {
      seen.clear();
      return imports(f).flatMap((p) => reach(p, rel(f)));
    });
    expect(bad).toEqual([]);
  });

  it("should list only schema files that exist and still need the exception", () => {
    for (const p of Object.keys(NOT_YET_PURE)) {
      expect(fs.existsSync(path.join(ROOT, p)), p).toBe(true);
      expect(imports(path.join(ROOT, p)).some((q) => q !== "zod" && !isSchema(q)), p).toBe(true);
    }
  });
});
