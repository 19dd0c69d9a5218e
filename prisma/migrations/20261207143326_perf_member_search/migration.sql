-- DropIndex
DROP INDEX "User_searchText_idx";

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "searchText" TEXT NOT NULL DEFAULT '';

-- CreateIndex
CREATE INDEX "Membership_searchText_idx" ON "Membership" USING GIN ("searchText" public.gin_trgm_ops);

-- The member search moves from User to the membership: with the trigram index on User, counting a tenant's matches
-- joined every membership of the tenant (a hash join over all of them, O(members)); on Membership the count is the
-- index's matches alone. The copy follows the person exactly as the sort keys do: filled when a membership is created
-- (unless the writer already set it, as the set-based import does) and rewritten on every membership of a person
-- whose search text changes.
CREATE OR REPLACE FUNCTION "Membership_sortKeys"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."sortEmail" = '' OR NEW."searchText" = '' THEN
    SELECT CASE WHEN NEW."sortEmail" = '' THEN u."lastName" ELSE NEW."sortLastName" END,
           CASE WHEN NEW."sortEmail" = '' THEN u."firstName" ELSE NEW."sortFirstName" END,
           CASE WHEN NEW."sortEmail" = '' THEN u."email" ELSE NEW."sortEmail" END,
           CASE WHEN NEW."searchText" = '' THEN u."searchText" ELSE NEW."searchText" END
      INTO NEW."sortLastName", NEW."sortFirstName", NEW."sortEmail", NEW."searchText"
      FROM "User" u WHERE u."id" = NEW."userId";
  END IF;
  RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION "User_membershipSortKeys"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Membership" SET "sortLastName" = NEW."lastName", "sortFirstName" = NEW."firstName", "sortEmail" = NEW."email",
                          "searchText" = NEW."searchText"
   WHERE "userId" = NEW."id";
  RETURN NULL;
END
$$;

-- The search text also depends on the display name and the phone; NEW here is the row after "User_searchText" ran.
DROP TRIGGER "User_membershipSortKeys" ON "User";
CREATE TRIGGER "User_membershipSortKeys" AFTER UPDATE OF "firstName", "lastName", "displayName", "email", "phone" ON "User"
  FOR EACH ROW WHEN (OLD."firstName" IS DISTINCT FROM NEW."firstName" OR OLD."lastName" IS DISTINCT FROM NEW."lastName"
                     OR OLD."email" IS DISTINCT FROM NEW."email" OR OLD."searchText" IS DISTINCT FROM NEW."searchText")
  EXECUTE FUNCTION "User_membershipSortKeys"();

UPDATE "Membership" m SET "searchText" = u."searchText" FROM "User" u WHERE u."id" = m."userId";
