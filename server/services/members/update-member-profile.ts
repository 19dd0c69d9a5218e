/**
 * Edits a member's profile fields (names, phone, language). Only for members ranked below the caller; owners may
 * edit anyone. The profile belongs to the person, so the change shows in every tenant they are in.
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { parseInput } from "../parse.ts";
import { accessDenied, authorityOf, findMemberRow, toMember } from "./member-record.ts";
import { ZUpdateMemberProfileInput, type TMember, type TUpdateMemberProfileInput } from "./members.schema.ts";

const FIELDS = ["firstName", "lastName", "displayName", "phone", "language"] as const;

export async function updateMemberProfile(db: Db, actor: Actor, input: TUpdateMemberProfileInput): Promise<TMember> {
  assertCan(actor, "members.update");
  const data = parseInput(ZUpdateMemberProfileInput, input);
  return db.$transaction(async (tx) => {
    const row = await findMemberRow(tx, actor.tenantId, { id: data.id });
    const authority = await authorityOf(tx, actor);
    if (!authority.outranks(row)) throw accessDenied();
    const before: Record<string, string | null> = {};
    const after: Record<string, string | null> = {};
    for (const f of FIELDS) {
      const next = data[f];
      if (next === undefined || next === row.user[f]) continue;
      before[f] = row.user[f];
      after[f] = next;
    }
    if (Object.keys(after).length === 0) return toMember(row);
    await tx.user.update({ where: { id: row.user.id }, data: after });
    await recordAuditEvent(tx, {
      actor, tenantId: actor.tenantId, action: "member.profile_changed", targetType: "membership", targetId: row.id,
      before: { userId: row.user.id, ...before }, after: { userId: row.user.id, ...after },
    });
    return toMember(await findMemberRow(tx, actor.tenantId, { id: row.id }));
  });
}
