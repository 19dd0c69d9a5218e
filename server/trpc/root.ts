/** The app's tRPC router: one thin router per domain. */
import { createCallerFactory, router } from "./init.ts";
import { accessRouter } from "./routers/access.ts";
import { accountRouter } from "./routers/account.ts";
import { auditRouter } from "./routers/audit.ts";
import { invitationsRouter } from "./routers/invitations.ts";
import { joinRequestsRouter } from "./routers/join-requests.ts";
import { membersRouter } from "./routers/members.ts";
import { rolesRouter } from "./routers/roles.ts";
import { settingsRouter } from "./routers/settings.ts";
import { tenantsRouter } from "./routers/tenants.ts";
import { tokensRouter } from "./routers/tokens.ts";
import { unitsRouter } from "./routers/units.ts";

export const appRouter = router({
  tenants: tenantsRouter,
  account: accountRouter,
  members: membersRouter,
  units: unitsRouter,
  access: accessRouter,
  roles: rolesRouter,
  invitations: invitationsRouter,
  joinRequests: joinRequestsRouter,
  settings: settingsRouter,
  tokens: tokensRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
