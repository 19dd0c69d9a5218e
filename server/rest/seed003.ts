/** Seed 003's dialect: plain JSON bodies (or 204), errors as `{ title, detail, time }`. */
import { AppError, ERROR_TABLE } from "../errors.ts";
import { errorHeaders, runRest, statusOf, type RestCall, type RouteContext } from "./http.ts";
import { streamJson, type JsonRows } from "./stream.ts";

/** A body, or (lists) `rows` streamed as a bare JSON array. */
export type Seed003Result = { status?: number; headers?: Record<string, string> } & ({ body: unknown; rows?: never } | { rows: JsonRows; body?: never });

export function problem003(err: AppError, meta: { requestId: string | null }): Response {
  const body = {
    title: ERROR_TABLE[err.code].title,
    detail: err.userMessage,
    time: new Date().toISOString(),
    ...(err.issues ? { errors: err.issues } : {}),
  };
  return Response.json(body, { status: statusOf(err), headers: errorHeaders(err, { ip: null, userAgent: null, requestId: meta.requestId }) });
}

export function seed003Route<P = Record<string, never>>(opts: { body?: boolean }, fn: (call: RestCall<P>) => Promise<Seed003Result>) {
  return (req: Request, ctx: RouteContext<P>) =>
    runRest(
      req,
      ctx,
      { authenticate: true, body: opts.body ?? false },
      async (call) => {
        const result = await fn(call);
        const headers = { "x-request-id": call.meta.requestId ?? "", ...(result.headers ?? {}) };
        if (result.rows) return streamJson("[", result.rows, "]", { status: result.status ?? 200, headers });
        if (result.body === undefined || result.status === 204) return new Response(null, { status: 204, headers });
        return Response.json(result.body, { status: result.status ?? 200, headers });
      },
      problem003,
    );
}
