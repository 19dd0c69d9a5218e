/** Renames, re-ranks or changes the defaults of a role; the owner role is fixed (409). */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { assertRecentAuth } from "../../auth/reauth.ts";
import { loadCatalog, toValues } from "../../authz/load.ts";
import { isOwnerRole } from "../../authz/roles.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { parseInput } from "../parse.ts";
import { checkedDefaults } from "./defaults.ts";
import { ZUpdateRoleInput, type TUpdateRoleInput } from "./roles.schema.ts";
import { bumpAccessVersion } from "../../authz/tenant-model.ts";

export async function updateRole(db: Db, actor: Actor, input: TUpdateRoleInput) {
  assertCan(actor, "roles.manage");
  // Roles and rights decide what everyone may do: a recent password (or code) is needed (cookie sessions).
  assertRecentAuth(actor);
  const data = parseInput(ZUpdateRoleInput, input);
  const catalog = await loadCatalog(db, actor);
  return db.$transaction(async (tx) => {
    const role = await tx.role.findUnique({
      where: { tenantId_slug: { tenantId: actor.tenantId, slug: data.slug } },
      select: { id: true, slug: true, title: true, description: true, weight: true, defaults: true },
    });
    if (!role) throw new AppError(AppErrorCode.NOT_FOUND, { userMessage: "Role not found." });
    if (isOwnerRole(role.slug)) throw new AppError(AppErrorCode.CONFLICT, { userMessage: "The owner role cannot be changed." });
    const weight = data.weight ?? role.weight;
    // The caller must outrank the role both as it is and as it will be.
    const defaults = await checkedDefaults(tx, actor, catalog, data.defaults, toValues(role.defaults), Math.max(weight, role.weight));
    await bumpAccessVersion(tx, actor.tenantId);
    const updated = await tx.role.update({
      where: { tenantId_id: { tenantId: actor.tenantId, id: role.id } },
      data: { title: data.title ?? role.title, description: data.description ?? role.description, weight, defaults },
      select: { id: true, slug: true, title: true, weight: true },
    });
    await recordAuditEvent(tx, {
      actor, tenantId: actor.tenantId, action: "role.updated", targetType: "role", targetId: role.id,
      before: { title: role.title, weight: role.weight, defaults: toValues(role.defaults) }, after: { title: updated.title, weight, defaults },
    });
    return updated;
  });
}
