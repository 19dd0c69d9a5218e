/**
 * A tenant's access model: its catalog (built-in rights plus its own) and its role definitions, read in one
 * statement and cached per process under (tenant id, `Tenant.accessVersion`). Every change to a tenant's roles or
 * rights bumps the version in the same transaction (`bumpAccessVersion`), and every request reads the version in
 * its context statement, so an instance never serves a model older than the request's own snapshot — including
 * changes made on another instance.
 */
import type { Db, Tx } from "../db/client.ts";
import { BUILTIN_CATALOG, type RightDef, type RightValue } from "./catalog.ts";
import type { RoleLite } from "./effective.ts";
import { toValues } from "./load.ts";

type Reader = Db | Tx;

export type TenantRole = RoleLite & { id: number; title: string; description: string; builtIn: boolean };

export type TenantModel = {
  tenantId: number;
  version: number;
  catalog: readonly RightDef[];
  roles: readonly TenantRole[];
  roleBySlug: ReadonlyMap<string, TenantRole>;
  roleById: ReadonlyMap<number, TenantRole>;
};

type Row = {
  version: number;
  rights: Array<{ slug: string; category: string; title: string; description: string; type: RightDef["type"]; defaultValue: unknown; scope: RightDef["scope"]; dependsOn: string[] }> | null;
  roles: Array<{ id: number; slug: string; title: string; description: string; weight: number; builtIn: boolean; defaults: unknown }> | null;
};

// Bounded: a process serving many tenants keeps the most recently used ones.
const MAX_TENANTS = 2_000;
const cache = new Map<number, TenantModel>();

function remember(model: TenantModel): TenantModel {
  cache.delete(model.tenantId);
  cache.set(model.tenantId, model);
  if (cache.size > MAX_TENANTS) cache.delete(cache.keys().next().value!);
  return model;
}

function build(tenantId: number, row: Row): TenantModel {
  const own: RightDef[] = (row.rights ?? []).map((r) => ({
    slug: r.slug, category: r.category, title: r.title, description: r.description, type: r.type,
    defaultValue: (r.defaultValue ?? null) as RightValue, scope: r.scope, dependsOn: r.dependsOn ?? [], system: false,
  }));
  const roles: TenantRole[] = (row.roles ?? []).map((r) => ({
    id: r.id, slug: r.slug, title: r.title, description: r.description, weight: r.weight, builtIn: r.builtIn, defaults: toValues(r.defaults),
  }));
  return {
    tenantId,
    version: row.version,
    catalog: [...BUILTIN_CATALOG, ...own],
    roles,
    roleBySlug: new Map(roles.map((r) => [r.slug, r])),
    roleById: new Map(roles.map((r) => [r.id, r])),
  };
}

/**
 * The model at `version` (the one the request's context statement read) from memory, else from the database.
 * Without a version (the CLI, a transaction that just changed the model) it always reads.
 */
export async function tenantModel(db: Reader, tenantId: number, version?: number | null): Promise<TenantModel> {
  const hitModel = cache.get(tenantId);
  if (hitModel && version != null && hitModel.version === version) return hitModel;
  // Rights and roles in display order (category, slug; weight descending), as the pages list them.
  const rows = await db.$queryRaw<Row[]>`
    SELECT t."accessVersion" AS version,
      (SELECT json_agg(json_build_object('slug', r.slug, 'category', r.category, 'title', r.title, 'description', r.description,
              'type', r.type, 'defaultValue', r."defaultValue", 'scope', r.scope, 'dependsOn', r."dependsOn") ORDER BY r.category, r.slug)
         FROM "Right" r WHERE r."tenantId" = t.id) AS rights,
      (SELECT json_agg(json_build_object('id', o.id, 'slug', o.slug, 'title', o.title, 'description', o.description,
              'weight', o.weight, 'builtIn', o."builtIn", 'defaults', o.defaults) ORDER BY o.weight DESC, o.slug)
         FROM "Role" o WHERE o."tenantId" = t.id) AS roles
    FROM "Tenant" t WHERE t.id = ${tenantId}`;
  const row = rows[0];
  if (!row) return build(tenantId, { version: -1, rights: [], roles: [] });
  const model = build(tenantId, row);
  // Only a model read outside a writing transaction is shared; a transaction's view may never commit.
  return "$transaction" in db ? remember(model) : model;
}

/** Marks the tenant's roles or rights as changed; call inside the transaction that changes them. */
export async function bumpAccessVersion(tx: Reader, tenantId: number): Promise<void> {
  await tx.$executeRaw`UPDATE "Tenant" SET "accessVersion" = "accessVersion" + 1 WHERE id = ${tenantId}`;
}
