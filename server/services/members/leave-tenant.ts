/**
 * The acting person leaves the tenant. Any member may leave (no permission needed: it only gives up one's own
 * access), except the last owner, who must first make another member owner.
 */
import { z } from "zod";
import type { Actor } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import { parseInput } from "../parse.ts";
import { assertNotLastOwner } from "./guards.ts";
import { assertRecentAuth } from "../../auth/reauth.ts";
import { isOwnerRole } from "../../authz/roles.ts";
import { accessDenied, findMemberRow } from "./member-record.ts";
import { deleteMembership } from "./remove-member.ts";
import type { TMember } from "./members.schema.ts";

export async function leaveTenant(db: Db, actor: Actor, input: Record<string, never> = {}): Promise<TMember> {
  if (actor.membershipId === null) throw accessDenied("Access denied. Only a member can leave a tenant.");
  parseInput(z.strictObject({}), input);
  const membershipId = actor.membershipId;
  return db.$transaction(async (tx) => {
    const row = await findMemberRow(tx, actor.tenantId, { id: membershipId });
    await assertNotLastOwner(tx, actor.tenantId, row.id);
    // An owner leaving removes an owner: it needs a recent password or code (cookie sessions).
    if (row.roles.some((r) => isOwnerRole(r.role.slug))) assertRecentAuth(actor);
    return deleteMembership(tx, actor, row, "member.left");
  });
}
