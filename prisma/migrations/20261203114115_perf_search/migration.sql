-- Trigram search (member search by substring). In the public schema so per-test schemas on PostgreSQL share it;
-- PGlite has it only when created through server/db/pglite.ts.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "accessVersion" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "searchText" TEXT NOT NULL DEFAULT '';

-- CreateIndex
CREATE INDEX "Membership_tenantId_createdAt_id_idx" ON "Membership"("tenantId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "User_searchText_idx" ON "User" USING GIN ("searchText" public.gin_trgm_ops);

-- Prefix search on email (LIKE 'abc%' under any collation). An expression index: the schema engine neither
-- declares nor drops those, so it lives here only.
CREATE INDEX "User_email_prefix_idx" ON "User"(lower("email") text_pattern_ops);

-- The search column follows the profile: lower-case name, display name, email and phone, space separated.
-- A trigger, not application code, so no writer (services, CLI, imports, raw SQL) can forget it.
CREATE FUNCTION "User_searchText"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchText" := lower(concat_ws(' ', NEW."firstName", NEW."lastName", NEW."displayName", NEW."email", NEW."phone"));
  RETURN NEW;
END
$$;

CREATE TRIGGER "User_searchText" BEFORE INSERT OR UPDATE OF "firstName", "lastName", "displayName", "email", "phone"
  ON "User" FOR EACH ROW EXECUTE FUNCTION "User_searchText"();

UPDATE "User" SET "searchText" = lower(concat_ws(' ', "firstName", "lastName", "displayName", "email", "phone"));
