/** One member of the actor's tenant with profile, roles and unit access, plus what the viewer may change. */
import { assertCan, can, type Actor } from "../../authz/actor.ts";
import type { Db } from "../../db/client.ts";
import { parseInput } from "../parse.ts";
import { authorityOf, findMemberRow, toMember } from "./member-record.ts";
import { ZGetMemberInput, type TGetMemberInput, type TMemberDetail } from "./members.schema.ts";

export async function getMember(db: Db, actor: Actor, input: TGetMemberInput): Promise<TMemberDetail> {
  assertCan(actor, "members.read");
  const { id } = parseInput(ZGetMemberInput, input);
  const row = await findMemberRow(db, actor.tenantId, { id });
  const [authority, roles] = await Promise.all([
    authorityOf(db, actor),
    db.role.findMany({ where: { tenantId: actor.tenantId }, orderBy: [{ weight: "desc" }, { slug: "asc" }], select: { slug: true, title: true, weight: true } }),
  ]);
  const isSelf = actor.membershipId === row.id;
  const outranks = authority.outranks(row);
  const mayUpdate = can(actor, "members.update") && outranks;
  const mayRemove = can(actor, "members.remove") && outranks;
  return {
    ...toMember(row),
    viewer: {
      isSelf,
      canEditProfile: mayUpdate,
      canChangeRoles: mayUpdate,
      canGrantFullAccess: mayUpdate && authority.access.hasFullAccess,
      canSuspend: mayRemove && !isSelf,
      canRemove: mayRemove,
      roleOptions: roles.map((r) => ({ ...r, assignable: authority.mayAssign(r) })),
    },
  };
}
