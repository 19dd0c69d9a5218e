/**
 * tRPC initialisation. AppErrors thrown by services become TRPCErrors with the code from server/errors.ts's table,
 * so the HTTP status a browser sees matches the REST door; anything else is logged and hidden behind a generic
 * message. Input validation failures carry their field paths in `data.issues`.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { ERROR_TABLE, formatPath, isAppError } from "../errors.ts";
import type { Context } from "./context.ts";

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const issues =
      cause instanceof ZodError
        ? cause.issues.map((i) => ({ path: formatPath(i.path), message: i.message }))
        : isAppError(cause)
          ? (cause.issues ?? null)
          : null;
    const { stack: _stack, ...data } = shape.data;
    return { ...shape, data: { ...data, issues, appCode: isAppError(cause) ? cause.code : null } };
  },
});

const mapErrors = t.middleware(async ({ next, ctx }) => {
  const result = await next();
  if (!result.ok) {
    const err = result.error;
    const cause = err.cause;
    if (isAppError(cause)) {
      throw new TRPCError({ code: ERROR_TABLE[cause.code].trpc, message: cause.userMessage, cause });
    }
    // Input that parses as JSON but fails its schema is a 422 naming the field, as on the REST door.
    if (err.code === "BAD_REQUEST" && cause instanceof ZodError) {
      const first = cause.issues[0];
      const message = first ? `Invalid ${formatPath(first.path)}: ${first.message}` : "Validation failed.";
      throw new TRPCError({ code: "UNPROCESSABLE_CONTENT", message, cause });
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
export const publicProcedure = t.procedure.use(mapErrors);
export const middleware = t.middleware;
