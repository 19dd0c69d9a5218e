/**
 * Seed 000's dialect: every response is `{ success, data, meta }`; errors carry `meta.message` (and, for
 * validation, `meta.errors` with the field paths).
 */
import { AppError } from "../errors.ts";
import { errorHeaders, runRest, statusOf, type RestCall, type RouteContext } from "./http.ts";
import { streamJson, type JsonRows } from "./stream.ts";

/** `data` as a value, or (lists) `rows`: `data` becomes their array, streamed. */
export type Seed000Result = { status?: number; meta?: Record<string, unknown> | unknown[]; headers?: Record<string, string> } & (
  { data: unknown; rows?: never } | { rows: JsonRows; data?: never }
);

export function envelope000(result: Seed000Result, requestId: string | null): Response {
  const headers = { "x-request-id": requestId ?? "", ...(result.headers ?? {}) };
  if (result.rows) {
    // The same bytes as Response.json({ success, data: [...], meta }), written a slice of rows at a time.
    return streamJson(`{"success":true,"data":[`, result.rows, `],"meta":${JSON.stringify(result.meta ?? {})}}`, { status: result.status ?? 200, headers });
  }
  return Response.json(
    { success: true, data: result.data ?? null, meta: result.meta ?? {} },
    { status: result.status ?? 200, headers },
  );
}

export function error000(err: AppError, meta: { requestId: string | null }): Response {
  const body = {
    success: false,
    data: null,
    meta: { message: err.userMessage, ...(err.issues ? { errors: err.issues } : {}) },
  };
  return Response.json(body, { status: statusOf(err), headers: errorHeaders(err, { ip: null, userAgent: null, requestId: meta.requestId }) });
}

/** A seed 000 route handler. `auth: false` only for routes that authenticate themselves. */
export function seed000Route<P = Record<string, never>>(
  opts: { auth?: boolean; body?: boolean },
  fn: (call: RestCall<P>) => Promise<Seed000Result>,
) {
  return (req: Request, ctx: RouteContext<P>) =>
    runRest(
      req,
      ctx,
      { authenticate: opts.auth ?? true, body: opts.body ?? false },
      async (call) => envelope000(await fn(call), call.meta.requestId),
      error000,
    );
}
