/** Factories for the members slice: a member's actor, a personal token acting as a member, a named member. */
import { loadMemberActor, type Actor } from "../../server/authz/actor.ts";
import type { Db } from "../../server/db/client.ts";
import { createApiToken } from "../../server/services/tokens/create-api-token.ts";
import { addMemberWithRole, TEST_META, uniqueId, type TestTenant } from "./factories.ts";

export function actorOf(db: Db, tenant: TestTenant, userId: number): Promise<Actor> {
  return loadMemberActor(db, { userId, tenantId: tenant.id }, TEST_META, null, { reauthAt: new Date() });
}

/** A personal token of `userId` in `tenant` (acts as that person); `scopes` default to every system permission. */
export async function personalTokenOf(db: Db, tenant: TestTenant, userId: number, scopes?: string[]): Promise<string> {
  const actor = await actorOf(db, tenant, userId);
  const created = await createApiToken(db, actor, { kind: "personal", name: `pt-${uniqueId()}`, ...(scopes ? { scopes } : {}) });
  return created.token;
}

/** A member with a role and a recognisable name and phone, for search and sort tests. */
export async function addNamedMember(
  db: Db,
  tenant: TestTenant,
  opts: { role?: string; firstName?: string | null; lastName?: string | null; phone?: string | null; client?: boolean; unitIds?: number[]; email?: string } = {},
) {
  const m = await addMemberWithRole(db, tenant, {
    ...(opts.role ? { role: opts.role } : {}),
    ...(opts.client ? { client: true } : {}),
    ...(opts.unitIds ? { unitIds: opts.unitIds } : {}),
    ...(opts.email ? { email: opts.email } : {}),
  });
  await db.user.update({
    where: { id: m.user.id },
    data: { firstName: opts.firstName ?? null, lastName: opts.lastName ?? null, phone: opts.phone ?? null },
  });
  return m;
}
