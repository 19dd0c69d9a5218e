/** Creates a custom role ranked below owner, with defaults validated and within the caller's own values. */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { assertRecentAuth } from "../../auth/reauth.ts";
import { loadCatalog } from "../../authz/load.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { parseInput } from "../parse.ts";
import { checkedDefaults } from "./defaults.ts";
import { ZCreateRoleInput, type TCreateRoleInput } from "./roles.schema.ts";
import { bumpAccessVersion } from "../../authz/tenant-model.ts";

export async function createRole(db: Db, actor: Actor, input: TCreateRoleInput) {
  assertCan(actor, "roles.manage");
  // Roles and rights decide what everyone may do: a recent password (or code) is needed (cookie sessions).
  assertRecentAuth(actor);
  const data = parseInput(ZCreateRoleInput, input);
  const catalog = await loadCatalog(db, actor);
  return db.$transaction(async (tx) => {
    const defaults = await checkedDefaults(tx, actor, catalog, data.defaults, {}, data.weight);
    const clash = await tx.role.findUnique({ where: { tenantId_slug: { tenantId: actor.tenantId, slug: data.slug } }, select: { id: true } });
    if (clash) throw new AppError(AppErrorCode.CONFLICT, { userMessage: `A role "${data.slug}" already exists.` });
    await bumpAccessVersion(tx, actor.tenantId);
    const role = await tx.role.create({
      data: { tenantId: actor.tenantId, slug: data.slug, title: data.title, description: data.description, weight: data.weight, defaults },
      select: { id: true, slug: true, title: true, weight: true },
    });
    await recordAuditEvent(tx, { actor, tenantId: actor.tenantId, action: "role.created", targetType: "role", targetId: role.id, after: { ...role, defaults } });
    return role;
  });
}
