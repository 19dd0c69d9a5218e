/**
 * Demo data for a first look: one tenant with units, the built-in roles, a few members of different roles, a client
 * user and a pending invitation. Built through the same services the app uses, so the demo obeys every rule.
 */
import crypto from "node:crypto";
import { systemActorFor } from "../server/authz/actor.ts";
import { hashSecret, newSecret, SECRET_PREFIX } from "../server/auth/secrets.ts";
import type { Db } from "../server/db/client.ts";
import { addMember } from "../server/services/members/add-member.ts";
import { createTenant } from "../server/services/tenants/create-tenant.ts";
import { createUnit } from "../server/services/units/create-unit.ts";

export const DEMO_OWNER_EMAIL = "owner@demo.test";

export type DemoCredentials = { email: string; password: string; tenantSlug: string };

/** True when the database holds no tenant and no user: the only state demo seeding may touch. */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const [tenants, users] = await Promise.all([db.tenant.count(), db.user.count()]);
  return tenants === 0 && users === 0;
}

export async function seedDemo(db: Db, password = crypto.randomBytes(12).toString("base64url")): Promise<DemoCredentials> {
  const { tenant } = await createTenant(db, { name: "Northwind Clinics", slug: "northwind", ownerEmail: DEMO_OWNER_EMAIL, ownerPassword: password });
  const actor = systemActorFor(tenant);
  const downtown = await createUnit(db, actor, { name: "Downtown Clinic", kind: "LOCATION" });
  const harbour = await createUnit(db, actor, { name: "Harbour Clinic", kind: "LOCATION" });
  const labs = await createUnit(db, actor, { name: "Northwind Labs", kind: "SUBSIDIARY" });
  await createUnit(db, actor, { name: "Patient App Relaunch", kind: "PROJECT" });
  // Other demo members get a random password nobody knows: they exist to be looked at, not signed in as.
  const other = () => crypto.randomBytes(18).toString("base64url");
  await addMember(db, actor, { email: "maria.manager@demo.test", password: other(), role: "administrator", unitIds: [downtown.id, harbour.id], firstName: "Maria", lastName: "Lopez" });
  await addMember(db, actor, { email: "sam.manager@demo.test", password: other(), role: "manager", unitIds: [downtown.id], firstName: "Sam", lastName: "Okafor" });
  await addMember(db, actor, { email: "alex.accounts@demo.test", password: other(), role: "accountant", unitIds: [labs.id], firstName: "Alex", lastName: "Chen" });
  await addMember(db, actor, { email: "jo.worker@demo.test", password: other(), role: "worker", unitIds: [harbour.id], firstName: "Jo", lastName: "Berg" });
  await addMember(db, actor, { email: "client@partner.test", password: other(), client: true, firstName: "Pat", lastName: "Client" });
  // A pending invitation so the pending inbox is not empty; its raw token is thrown away (it can be resent).
  const email = "new.hire@demo.test";
  await db.$transaction(async (tx) => {
    const invitee = await tx.user.create({ data: { email }, select: { id: true } });
    await tx.invitation.create({
      data: {
        tenantId: tenant.id, email, userId: invitee.id, pendingKey: email, tokenHash: hashSecret(newSecret(SECRET_PREFIX.invitation)),
        roles: ["worker"], unitGrants: [{ unitId: downtown.id, roleSlug: "worker", permissions: {} }],
        message: "Welcome to the Downtown team!", expiresAt: new Date(Date.now() + 7 * 86_400_000),
      },
    });
  });
  return { email: DEMO_OWNER_EMAIL, password, tenantSlug: tenant.slug };
}
