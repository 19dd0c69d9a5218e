/** Tenant slugs: readable, URL-safe, unique; a clash gets a numeric suffix. */
import type { Tx } from "../../db/client.ts";
import { likeLiteral } from "../like.ts";

export function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/g, "");
  return base || "tenant";
}

export async function uniqueTenantSlug(tx: Tx, name: string): Promise<string> {
  const base = slugify(name);
  const taken = new Set(
    (await tx.tenant.findMany({ where: { slug: { startsWith: likeLiteral(base) } }, select: { slug: true } })).map((t) => t.slug),
  );
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}
