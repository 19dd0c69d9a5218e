/** Deletes a custom role nobody holds (no membership, unit grant or pending invitation); built-ins stay (409). */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { assertRecentAuth } from "../../auth/reauth.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { parseInput } from "../parse.ts";
import { ZDeleteRoleInput, type TDeleteRoleInput } from "./roles.schema.ts";
import { bumpAccessVersion } from "../../authz/tenant-model.ts";

export async function deleteRole(db: Db, actor: Actor, input: TDeleteRoleInput): Promise<{ slug: string }> {
  assertCan(actor, "roles.manage");
  // Roles and rights decide what everyone may do: a recent password (or code) is needed (cookie sessions).
  assertRecentAuth(actor);
  const data = parseInput(ZDeleteRoleInput, input);
  return db.$transaction(async (tx) => {
    const role = await tx.role.findUnique({
      where: { tenantId_slug: { tenantId: actor.tenantId, slug: data.slug } },
      select: { id: true, slug: true, builtIn: true, weight: true, _count: { select: { membershipRoles: true, unitAccess: true } } },
    });
    if (!role) throw new AppError(AppErrorCode.NOT_FOUND, { userMessage: "Role not found." });
    if (role.builtIn) throw new AppError(AppErrorCode.CONFLICT, { userMessage: "Built-in roles cannot be deleted." });
    const pending = await tx.invitation.count({ where: { tenantId: actor.tenantId, status: "PENDING", roles: { has: role.slug } } });
    if (role._count.membershipRoles + role._count.unitAccess + pending > 0) {
      throw new AppError(AppErrorCode.CONFLICT, { userMessage: "The role is in use. Give its holders another role first." });
    }
    await bumpAccessVersion(tx, actor.tenantId);
    await tx.role.delete({ where: { tenantId_id: { tenantId: actor.tenantId, id: role.id } } });
    await recordAuditEvent(tx, { actor, tenantId: actor.tenantId, action: "role.deleted", targetType: "role", targetId: role.id, before: { slug: role.slug, weight: role.weight } });
    return { slug: role.slug };
  });
}
