/** The app's tRPC router: one thin router per domain. */
import { createCallerFactory, router } from "./init.ts";
import { accountRouter } from "./routers/account.ts";
import { tenantsRouter } from "./routers/tenants.ts";

export const appRouter = router({
  tenants: tenantsRouter,
  account: accountRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
