/** `npm run db:seed`: fills an EMPTY database with the demo tenant and prints its sign-in; refuses any other database. */
import { DataDirLockedError } from "../db/lock.ts";
import { isDatabaseEmpty, seedDemo } from "../../prisma/seed.ts";
import { openForCli } from "./open.ts";

try {
  const handle = await openForCli();
  try {
    if (!(await isDatabaseEmpty(handle.prisma))) {
      console.error("error: the database already has data; db:seed only fills an empty database.");
      process.exitCode = 1;
    } else {
      const demo = await seedDemo(handle.prisma);
      console.log(`Seeded the demo tenant "${demo.tenantSlug}".`);
      console.log(`Demo sign-in: ${demo.email} / ${demo.password}`);
    }
  } finally {
    await handle.close();
  }
} catch (e) {
  console.error(`error: ${e instanceof DataDirLockedError ? e.message : (e as Error).message}`);
  process.exitCode = 1;
}
