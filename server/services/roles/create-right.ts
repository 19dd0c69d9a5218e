/** Adds a tenant-defined right (slug, category, type, default) to the tenant's catalog. */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { assertRecentAuth } from "../../auth/reauth.ts";
import { BUILTIN_BY_SLUG } from "../../authz/catalog.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { Prisma } from "../../db/generated/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { typeProblem } from "../access/validate-values.ts";
import { parseInput } from "../parse.ts";
import { ZCreateRightInput, type TCreateRightInput } from "./roles.schema.ts";
import { bumpAccessVersion } from "../../authz/tenant-model.ts";

export async function createRight(db: Db, actor: Actor, input: TCreateRightInput) {
  assertCan(actor, "roles.manage");
  // Roles and rights decide what everyone may do: a recent password (or code) is needed (cookie sessions).
  assertRecentAuth(actor);
  const data = parseInput(ZCreateRightInput, input);
  const problem = typeProblem(data.type, data.defaultValue);
  if (problem) throw new AppError(AppErrorCode.UNPROCESSABLE, { userMessage: `Invalid defaultValue: ${problem}`, issues: [{ path: "defaultValue", message: problem }] });
  if (BUILTIN_BY_SLUG.has(data.slug)) throw new AppError(AppErrorCode.CONFLICT, { userMessage: `"${data.slug}" is a built-in right.` });
  return db.$transaction(async (tx) => {
    const clash = await tx.right.findUnique({ where: { tenantId_slug: { tenantId: actor.tenantId, slug: data.slug } }, select: { id: true } });
    if (clash) throw new AppError(AppErrorCode.CONFLICT, { userMessage: `A right "${data.slug}" already exists.` });
    await bumpAccessVersion(tx, actor.tenantId);
    const right = await tx.right.create({
      data: {
        tenantId: actor.tenantId, slug: data.slug, category: data.category, title: data.title, description: data.description,
        type: data.type, defaultValue: data.defaultValue === null ? Prisma.JsonNull : data.defaultValue, scope: data.scope,
      },
      select: { id: true, slug: true, category: true, title: true, type: true, defaultValue: true, scope: true },
    });
    await recordAuditEvent(tx, { actor, tenantId: actor.tenantId, action: "right.created", targetType: "right", targetId: right.id, after: { slug: right.slug, type: right.type } });
    return { slug: right.slug, category: right.category, title: right.title, type: right.type, defaultValue: data.defaultValue, scope: right.scope };
  });
}
