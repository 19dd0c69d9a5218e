// Prisma 7 reads this file. `prisma generate` insists on a schema-engine binary even though it never runs it, and
// the native engine cannot be downloaded here: point it at a non-executable file so any accidental
// `prisma migrate` fails loudly instead of half-working. Migrations go through server/db/schema-engine.ts.
import { defineConfig } from "prisma/config";

process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "prisma/schema.prisma";

export default defineConfig({
  schema: "prisma/schema.prisma",
});
