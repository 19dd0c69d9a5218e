-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "sortLastLoginAt" TIMESTAMP(3);

-- The members list puts NULLs (no last name, no first name, never signed in) last in both directions, so the
-- descending indexes are built DESC NULLS LAST: an ascending index read backwards gives NULLS FIRST, which PostgreSQL
-- cannot use for that order and sorted the whole tenant instead. Prisma's schema has no NULLS option; its differ
-- compares these as plain DESC columns (the migrations test proves no drift).
-- CreateIndex
CREATE INDEX "Membership_name_desc_idx" ON "Membership"("tenantId", "sortLastName" DESC NULLS LAST, "sortFirstName" DESC NULLS LAST, "sortEmail" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Membership_tenantId_sortLastLoginAt_id_idx" ON "Membership"("tenantId", "sortLastLoginAt", "id");

-- CreateIndex
CREATE INDEX "Membership_lastLogin_desc_idx" ON "Membership"("tenantId", "sortLastLoginAt" DESC NULLS LAST, "id" DESC);

-- The last-login copy follows the person like the other sort keys: filled when a membership is created (with the
-- others, unless the writer set them, as the set-based import does) and rewritten on every membership of a person
-- who signs in.
CREATE OR REPLACE FUNCTION "Membership_sortKeys"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."sortEmail" = '' OR NEW."searchText" = '' THEN
    SELECT CASE WHEN NEW."sortEmail" = '' THEN u."lastName" ELSE NEW."sortLastName" END,
           CASE WHEN NEW."sortEmail" = '' THEN u."firstName" ELSE NEW."sortFirstName" END,
           CASE WHEN NEW."sortEmail" = '' THEN u."email" ELSE NEW."sortEmail" END,
           CASE WHEN NEW."searchText" = '' THEN u."searchText" ELSE NEW."searchText" END,
           COALESCE(NEW."sortLastLoginAt", u."lastLoginAt")
      INTO NEW."sortLastName", NEW."sortFirstName", NEW."sortEmail", NEW."searchText", NEW."sortLastLoginAt"
      FROM "User" u WHERE u."id" = NEW."userId";
  END IF;
  RETURN NEW;
END
$$;

CREATE FUNCTION "User_membershipLastLogin"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Membership" SET "sortLastLoginAt" = NEW."lastLoginAt" WHERE "userId" = NEW."id";
  RETURN NULL;
END
$$;

CREATE TRIGGER "User_membershipLastLogin" AFTER UPDATE OF "lastLoginAt" ON "User"
  FOR EACH ROW WHEN (OLD."lastLoginAt" IS DISTINCT FROM NEW."lastLoginAt")
  EXECUTE FUNCTION "User_membershipLastLogin"();

UPDATE "Membership" m SET "sortLastLoginAt" = u."lastLoginAt" FROM "User" u WHERE u."id" = m."userId" AND u."lastLoginAt" IS NOT NULL;
