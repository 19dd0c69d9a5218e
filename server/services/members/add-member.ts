/**
 * Adds a person to the actor's tenant as an active member (or client user) with a tenant role and the same role at
 * each given unit. Used by the CLI and demo seeding; people otherwise join through invitations and requests. With a
 * password the account is verified (the operator vouches); without one, an unverified account gets a verification
 * email and the membership stays pending verification until the link is clicked (then "Forgot password?" sets one).
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { DEFAULT_CLIENT_ROLE, DEFAULT_MEMBER_ROLE } from "../../authz/roles.ts";
import { recordAuditEvent } from "../../audit/record.ts";
import { commitVerificationEmail, prepareVerificationEmail } from "../../auth/email-verification.ts";
import { hashPassword } from "../../auth/password.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { parseInput } from "../parse.ts";
import { ZAddMemberInput, type TAddMemberInput } from "./members.schema.ts";

export async function addMember(db: Db, actor: Actor, input: TAddMemberInput) {
  assertCan(actor, "members.update");
  const data = parseInput(ZAddMemberInput, input);
  const passwordHash = data.password !== undefined ? await hashPassword(data.password) : null;
  const profileName = { firstName: data.firstName ?? null, lastName: data.lastName ?? null };
  // Without a password nobody vouches for the address: the person confirms it from the email (rendered up front).
  const verification = passwordHash ? null : await prepareVerificationEmail({ email: data.email, ...profileName });
  const roleSlug = data.role ?? (data.client ? DEFAULT_CLIENT_ROLE : DEFAULT_MEMBER_ROLE);
  return db.$transaction(async (tx) => {
    const role = await tx.role.findUnique({ where: { tenantId_slug: { tenantId: actor.tenantId, slug: roleSlug } }, select: { id: true, slug: true } });
    if (!role) throw new AppError(AppErrorCode.NOT_FOUND, { userMessage: `No role "${roleSlug}" in this tenant.` });
    const unitIds = [...new Set(data.unitIds)];
    const units = await tx.unit.findMany({ where: { tenantId: actor.tenantId, id: { in: unitIds }, archivedAt: null }, select: { id: true } });
    if (units.length !== unitIds.length) {
      const missing = unitIds.filter((id) => !units.some((u) => u.id === id));
      throw new AppError(AppErrorCode.NOT_FOUND, { userMessage: `Unit ${missing.join(", ")} not found.` });
    }
    const existing = await tx.user.findUnique({ where: { email: data.email }, select: { id: true, passwordHash: true, emailVerifiedAt: true } });
    if (existing && (await tx.membership.findUnique({ where: { tenantId_userId: { tenantId: actor.tenantId, userId: existing.id } }, select: { id: true } }))) {
      throw new AppError(AppErrorCode.CONFLICT, { userMessage: `${data.email} is already a member of this tenant.` });
    }
    const profile = { ...(data.firstName ? { firstName: data.firstName } : {}), ...(data.lastName ? { lastName: data.lastName } : {}) };
    // An existing account keeps its own password: the operator cannot take over someone's login by adding them.
    const user = existing
      ? existing.passwordHash || !passwordHash
        ? { id: existing.id }
        : await tx.user.update({ where: { id: existing.id }, data: { passwordHash, emailVerifiedAt: new Date(), ...profile }, select: { id: true } })
      : await tx.user.create({
          data: { email: data.email, passwordHash, ...(passwordHash ? { emailVerifiedAt: new Date() } : {}), ...profile },
          select: { id: true },
        });
    const unverified = existing ? !existing.emailVerifiedAt && !(passwordHash && !existing.passwordHash) : !passwordHash;
    if (verification && unverified) await commitVerificationEmail(tx, { id: user.id, email: data.email }, verification);
    const now = new Date();
    const membership = await tx.membership.create({
      data: {
        tenantId: actor.tenantId,
        userId: user.id,
        kind: data.client ? "CLIENT" : "MEMBER",
        roles: { create: { roleId: role.id } },
        unitAccess: { create: unitIds.map((unitId) => ({ unitId, roleId: role.id, status: "ACTIVE" as const, acceptedAt: now })) },
      },
      select: { id: true },
    });
    await recordAuditEvent(tx, {
      actor, tenantId: actor.tenantId, action: "member.added", targetType: "membership", targetId: membership.id,
      after: { userId: user.id, email: data.email, role: role.slug, unitIds, kind: data.client ? "CLIENT" : "MEMBER" },
    });
    return { user: { id: user.id, email: data.email }, membership };
  });
}
