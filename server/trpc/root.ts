/** The app's tRPC router: one thin router per domain. */
import { createCallerFactory, router } from "./init.ts";
import { accessRouter } from "./routers/access.ts";
import { accountRouter } from "./routers/account.ts";
import { membersRouter } from "./routers/members.ts";
import { rolesRouter } from "./routers/roles.ts";
import { tenantsRouter } from "./routers/tenants.ts";
import { unitsRouter } from "./routers/units.ts";

export const appRouter = router({
  tenants: tenantsRouter,
  account: accountRouter,
  members: membersRouter,
  units: unitsRouter,
  access: accessRouter,
  roles: rolesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
