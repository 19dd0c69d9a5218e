-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "isOwner" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "Membership_tenantId_isOwner_idx" ON "Membership"("tenantId", "isOwner");

-- The flag follows MembershipRole: every statement that adds or removes an owner role (services, CLI, imports, raw
-- SQL, cascades) recomputes it for the memberships it touched. Statement-level, so a bulk import of members with
-- other roles costs one join per statement, not one per row. 'owner' is the built-in owner role's fixed slug
-- (server/authz/roles.ts OWNER_ROLE).
CREATE FUNCTION "MembershipRole_ownerFlag"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Membership" m
     SET "isOwner" = EXISTS (SELECT 1 FROM "MembershipRole" mr JOIN "Role" r ON r."tenantId" = mr."tenantId" AND r."id" = mr."roleId"
                              WHERE mr."tenantId" = m."tenantId" AND mr."membershipId" = m."id" AND r."slug" = 'owner')
   WHERE (m."tenantId", m."id") IN (SELECT c."tenantId", c."membershipId" FROM changed c
                                      JOIN "Role" r ON r."tenantId" = c."tenantId" AND r."id" = c."roleId" WHERE r."slug" = 'owner');
  RETURN NULL;
END
$$;

-- An update can move a row off the owner role (its old version) or onto it (its new one).
CREATE FUNCTION "MembershipRole_ownerFlagUpdate"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Membership" m
     SET "isOwner" = EXISTS (SELECT 1 FROM "MembershipRole" mr JOIN "Role" r ON r."tenantId" = mr."tenantId" AND r."id" = mr."roleId"
                              WHERE mr."tenantId" = m."tenantId" AND mr."membershipId" = m."id" AND r."slug" = 'owner')
   WHERE (m."tenantId", m."id") IN (SELECT c."tenantId", c."membershipId" FROM (SELECT * FROM old_rows UNION ALL SELECT * FROM changed) c
                                      JOIN "Role" r ON r."tenantId" = c."tenantId" AND r."id" = c."roleId" WHERE r."slug" = 'owner');
  RETURN NULL;
END
$$;

CREATE TRIGGER "MembershipRole_ownerFlag_insert" AFTER INSERT ON "MembershipRole"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "MembershipRole_ownerFlag"();
CREATE TRIGGER "MembershipRole_ownerFlag_delete" AFTER DELETE ON "MembershipRole"
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "MembershipRole_ownerFlag"();
CREATE TRIGGER "MembershipRole_ownerFlag_update" AFTER UPDATE ON "MembershipRole"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "MembershipRole_ownerFlagUpdate"();

UPDATE "Membership" m SET "isOwner" = true
 WHERE EXISTS (SELECT 1 FROM "MembershipRole" mr JOIN "Role" r ON r."tenantId" = mr."tenantId" AND r."id" = mr."roleId"
                WHERE mr."tenantId" = m."tenantId" AND mr."membershipId" = m."id" AND r."slug" = 'owner');
