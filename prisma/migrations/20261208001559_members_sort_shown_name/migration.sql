-- DropIndex
DROP INDEX "Membership_name_desc_idx";

-- DropIndex
DROP INDEX "Membership_tenantId_sortLastName_sortFirstName_sortEmail_id_idx";

-- AlterTable
ALTER TABLE "Membership" DROP COLUMN "sortFirstName",
DROP COLUMN "sortLastName",
ADD COLUMN     "sortName" TEXT NOT NULL DEFAULT '';

-- The members list sorts by the name it shows (display name, else first and last name, else email), not by last
-- name: a list sorted on a key the reader cannot see looks unsorted. One function spells the shown name for the
-- triggers and the set-based import alike; lower-cased, so "ada" and "Ada" sort together under the C collation.
-- It mirrors displayName() in app/(admin)/t/[tenant]/members/format.ts (empty strings count as missing there too).
CREATE FUNCTION "member_sort_name"(display_name TEXT, first_name TEXT, last_name TEXT, email TEXT) RETURNS TEXT
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower(COALESCE(NULLIF(display_name, ''), NULLIF(concat_ws(' ', NULLIF(first_name, ''), NULLIF(last_name, '')), ''), email))
$$;

CREATE OR REPLACE FUNCTION "Membership_sortKeys"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."sortEmail" = '' OR NEW."searchText" = '' THEN
    SELECT CASE WHEN NEW."sortEmail" = '' THEN "member_sort_name"(u."displayName", u."firstName", u."lastName", u."email") ELSE NEW."sortName" END,
           CASE WHEN NEW."sortEmail" = '' THEN u."email" ELSE NEW."sortEmail" END,
           CASE WHEN NEW."searchText" = '' THEN u."searchText" ELSE NEW."searchText" END,
           COALESCE(NEW."sortLastLoginAt", u."lastLoginAt")
      INTO NEW."sortName", NEW."sortEmail", NEW."searchText", NEW."sortLastLoginAt"
      FROM "User" u WHERE u."id" = NEW."userId";
  END IF;
  RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION "User_membershipSortKeys"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Membership" SET "sortName" = "member_sort_name"(NEW."displayName", NEW."firstName", NEW."lastName", NEW."email"),
                          "sortEmail" = NEW."email", "searchText" = NEW."searchText"
   WHERE "userId" = NEW."id";
  RETURN NULL;
END
$$;

-- The shown name also depends on the display name, whose change does not always change the search text.
DROP TRIGGER "User_membershipSortKeys" ON "User";
CREATE TRIGGER "User_membershipSortKeys" AFTER UPDATE OF "firstName", "lastName", "displayName", "email", "phone" ON "User"
  FOR EACH ROW WHEN (OLD."firstName" IS DISTINCT FROM NEW."firstName" OR OLD."lastName" IS DISTINCT FROM NEW."lastName"
                     OR OLD."displayName" IS DISTINCT FROM NEW."displayName" OR OLD."email" IS DISTINCT FROM NEW."email"
                     OR OLD."searchText" IS DISTINCT FROM NEW."searchText")
  EXECUTE FUNCTION "User_membershipSortKeys"();

UPDATE "Membership" m SET "sortName" = "member_sort_name"(u."displayName", u."firstName", u."lastName", u."email")
  FROM "User" u WHERE u."id" = m."userId";

-- CreateIndex
CREATE INDEX "Membership_tenantId_sortName_id_idx" ON "Membership"("tenantId", "sortName", "id");
