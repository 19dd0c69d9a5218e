/** Creates a tenant with the built-in roles and makes the given person its owner (full access to every unit). */
import type { Db } from "../../db/client.ts";
import { BUILTIN_ROLES, OWNER_ROLE } from "../../authz/roles.ts";
import { recordAuditEvent, SYSTEM_ACTOR } from "../../audit/record.ts";
import { hashPassword } from "../../auth/password.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { parseInput } from "../parse.ts";
import { ZCreateTenantInput, type TCreateTenantInput } from "./tenants.schema.ts";
import { uniqueTenantSlug } from "./slug.ts";

export async function createTenant(db: Db, input: TCreateTenantInput) {
  const data = parseInput(ZCreateTenantInput, input);
  // Hashing is slow; do it before the transaction so the transaction stays short (PGlite serialises them).
  const passwordHash = await hashPassword(data.ownerPassword);
  return db.$transaction(async (tx) => {
    if (data.slug && (await tx.tenant.findUnique({ where: { slug: data.slug }, select: { id: true } }))) {
      throw new AppError(AppErrorCode.CONFLICT, { userMessage: `The slug "${data.slug}" is taken.` });
    }
    const slug = data.slug ?? (await uniqueTenantSlug(tx, data.name));
    const tenant = await tx.tenant.create({ data: { name: data.name, slug }, select: { id: true, slug: true, name: true } });
    await tx.role.createMany({
      data: BUILTIN_ROLES.map((r) => ({
        tenantId: tenant.id, slug: r.slug, title: r.title, description: r.description, weight: r.weight, builtIn: true, defaults: r.defaults,
      })),
    });
    const ownerRole = await tx.role.findUniqueOrThrow({ where: { tenantId_slug: { tenantId: tenant.id, slug: OWNER_ROLE } }, select: { id: true } });
    const existing = await tx.user.findUnique({ where: { email: data.ownerEmail }, select: { id: true, passwordHash: true } });
    const owner = existing
      ? existing.passwordHash
        ? { id: existing.id }
        : await tx.user.update({ where: { id: existing.id }, data: { passwordHash, emailVerifiedAt: new Date() }, select: { id: true } })
      : await tx.user.create({ data: { email: data.ownerEmail, passwordHash, emailVerifiedAt: new Date() }, select: { id: true } });
    const membership = await tx.membership.create({
      data: { tenantId: tenant.id, userId: owner.id, hasFullAccess: true, roles: { create: { roleId: ownerRole.id } } },
      select: { id: true },
    });
    await recordAuditEvent(tx, {
      actor: SYSTEM_ACTOR, tenantId: tenant.id, action: "tenant.created", targetType: "tenant", targetId: tenant.id,
      after: { name: tenant.name, slug: tenant.slug, ownerUserId: owner.id, ownerMembershipId: membership.id },
    });
    return { tenant, owner: { id: owner.id, email: data.ownerEmail }, membership };
  });
}
