-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "sortEmail" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "sortFirstName" TEXT,
ADD COLUMN     "sortLastName" TEXT;

-- CreateIndex
CREATE INDEX "Membership_tenantId_sortLastName_sortFirstName_sortEmail_id_idx" ON "Membership"("tenantId", "sortLastName", "sortFirstName", "sortEmail", "id");

-- CreateIndex
CREATE INDEX "Membership_tenantId_sortEmail_id_idx" ON "Membership"("tenantId", "sortEmail", "id");

-- The sort keys follow the person: filled when a membership is created (unless the writer already set them, as a
-- set-based import does), and rewritten on every membership of a person whose names or email change. Triggers, not
-- application code, so no writer (services, CLI, imports, raw SQL) can leave a member sorted under an old name.
CREATE FUNCTION "Membership_sortKeys"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."sortEmail" = '' THEN
    SELECT u."lastName", u."firstName", u."email" INTO NEW."sortLastName", NEW."sortFirstName", NEW."sortEmail"
      FROM "User" u WHERE u."id" = NEW."userId";
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "Membership_sortKeys" BEFORE INSERT ON "Membership" FOR EACH ROW EXECUTE FUNCTION "Membership_sortKeys"();

CREATE FUNCTION "User_membershipSortKeys"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Membership" SET "sortLastName" = NEW."lastName", "sortFirstName" = NEW."firstName", "sortEmail" = NEW."email"
   WHERE "userId" = NEW."id";
  RETURN NULL;
END
$$;

CREATE TRIGGER "User_membershipSortKeys" AFTER UPDATE OF "firstName", "lastName", "email" ON "User"
  FOR EACH ROW WHEN (OLD."firstName" IS DISTINCT FROM NEW."firstName" OR OLD."lastName" IS DISTINCT FROM NEW."lastName"
                     OR OLD."email" IS DISTINCT FROM NEW."email")
  EXECUTE FUNCTION "User_membershipSortKeys"();

UPDATE "Membership" m SET "sortLastName" = u."lastName", "sortFirstName" = u."firstName", "sortEmail" = u."email"
  FROM "User" u WHERE u."id" = m."userId";
