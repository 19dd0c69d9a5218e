/** Calling App Router route handlers in-process with real Request objects (no server, no mocks). */

export type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export type JsonResponse = { status: number; headers: Headers; body: unknown };

export async function callRoute(
  handler: RouteHandler,
  init: { method?: string; path?: string; authorization?: string; json?: unknown; rawBody?: string; headers?: Record<string, string>; params?: Record<string, string> } = {},
): Promise<JsonResponse> {
  const headers = new Headers(init.headers);
  if (init.authorization !== undefined) headers.set("authorization", init.authorization);
  const body = init.rawBody ?? (init.json === undefined ? undefined : JSON.stringify(init.json));
  if (body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
  const req = new Request(`http://localhost${init.path ?? "/"}`, { method: init.method ?? "POST", headers, ...(body !== undefined ? { body } : {}) });
  const res = await handler(req, { params: Promise.resolve(init.params ?? {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

/** Seed 000's error envelope. */
export const error000 = (message: string) => ({ success: false, data: null, meta: { message } });
