/**
 * tRPC initialisation. AppErrors thrown by services become TRPCErrors with the code from server/errors.ts's table,
 * so the HTTP status a browser sees matches the REST door; anything else is logged and hidden behind a generic
 * message. Input validation failures carry their field paths and labels in `data.issues`, and their message names
 * the field by its label (labels.schema.ts), since this door's callers are people on the admin app's forms.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { databaseUnavailable, isDatabaseUnavailable } from "../db/unavailable.ts";
import { ERROR_TABLE, formatPath, isAppError } from "../errors.ts";
import { tooManyRequests } from "../security/rate-limit.ts";
import { labelFor, labelledMessage } from "../services/labels.schema.ts";
import { ZTenantSlug } from "../services/tenants/tenants.schema.ts";
import { resolveCaller, type Context } from "./context.ts";
import { transformer } from "./transformer.ts";

const t = initTRPC.context<Context>().create({
  // superjson's format (the browser reads it with superjson), written by a faster serializer: transformer.ts.
  transformer,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const raw =
      cause instanceof ZodError
        ? cause.issues.map((i) => ({ path: formatPath(i.path), message: i.message }))
        : isAppError(cause)
          ? (cause.issues ?? null)
          : null;
    const issues = raw?.map((i) => ({ ...i, label: labelFor(i.path) })) ?? null;
    const { stack: _stack, ...data } = shape.data;
    // TRPC has no 503 or per-AppError status: the table's HTTP status wins (UNAVAILABLE is 503, not 500), and a
    // database outage that failed before any procedure ran (createContext) is a 503 too, with a safe message.
    if (!isAppError(cause) && isDatabaseUnavailable(cause)) {
      const down = databaseUnavailable();
      return { ...shape, message: down.userMessage, data: { ...data, httpStatus: 503, issues: null, appCode: down.code, reason: null } };
    }
    if (isAppError(cause)) data.httpStatus = ERROR_TABLE[cause.code].status;
    // `reason` refines the code for pages (REAUTH_REQUIRED: ask for the password again; TWO_FACTOR_REQUIRED: enrol).
    const reason = isAppError(cause) ? (cause.reason ?? null) : null;
    return { ...shape, data: { ...data, issues, appCode: isAppError(cause) ? cause.code : null, reason } };
  },
});

const mapErrors = t.middleware(async ({ next, ctx }) => {
  const result = await next();
  if (!result.ok) {
    const err = result.error;
    const cause = err.cause;
    if (isAppError(cause)) {
      const first = cause.invalidInput ? cause.issues?.[0] : undefined;
      const message = first ? labelledMessage(first.path, first.message) : cause.userMessage;
      throw new TRPCError({ code: ERROR_TABLE[cause.code].trpc, message, cause });
    }
    // Input that parses as JSON but fails its schema is a 422 naming the field by its label, as the service would.
    if (err.code === "BAD_REQUEST" && cause instanceof ZodError) {
      const first = cause.issues[0];
      const message = first ? labelledMessage(formatPath(first.path), first.message) : "Validation failed.";
      throw new TRPCError({ code: "UNPROCESSABLE_CONTENT", message, cause });
    }
    // The database went away (killed connections, a restart, an exhausted pool): 503 with Retry-After, not a bug.
    if (isDatabaseUnavailable(cause ?? err)) {
      const down = databaseUnavailable(cause);
      throw new TRPCError({ code: ERROR_TABLE[down.code].trpc, message: down.userMessage, cause: down });
    }
    if (err.code === "INTERNAL_SERVER_ERROR") {
      console.error(`[trpc] unexpected error (request ${ctx.meta.requestId}):`, cause ?? err);
      throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `Internal error (request ${ctx.meta.requestId}).` });
    }
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
/** The `tenant` an input names, when it is a well-formed slug (tenant procedures all take one). */
async function tenantSlugOf(getRawInput: () => Promise<unknown>): Promise<string | null> {
  const raw = await getRawInput().catch(() => undefined);
  const tenant = raw && typeof raw === "object" && "tenant" in raw ? (raw as { tenant: unknown }).tenant : undefined;
  const slug = ZTenantSlug.safeParse(tenant);
  return slug.success ? slug.data : null;
}

/**
 * Resolves the caller (context.ts resolveCaller: session, rate-limit hit and the acting membership of the tenant the
 * input names, in one statement) and counts the call: TRPC_USER per signed-in user, TRPC_IP per address without a
 * session. Middleware runs per call, so each call of a batch is one hit (a batch of ten costs ten). Inside
 * mapErrors, so the 429 carries Retry-After and a database outage is a 503 like every other refusal.
 */
const resolveCall = t.middleware(async ({ ctx, next, getRawInput }) => {
  const caller = await resolveCaller(ctx, await tenantSlugOf(getRawInput));
  if (caller.retryAfter > 0) throw tooManyRequests(caller.retryAfter, "requests");
  return next({ ctx: { ...ctx, session: caller.session, member: caller.member, memberSlug: caller.tenantSlug } });
});

export const publicProcedure = t.procedure.use(mapErrors).use(resolveCall);
export const middleware = t.middleware;
