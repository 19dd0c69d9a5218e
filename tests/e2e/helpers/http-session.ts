/**
 * Talking to the running app over HTTP the way a browser or an integrator does: a credentials sign-in (CSRF cookie
 * and token), tRPC calls in the superjson wire format (GET for queries, same-origin POST for mutations), and the
 * REST door with bearer headers. Used by the sweeps that must see the real transport (tests/e2e/sweep-http.test.ts).
 */

export const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";")[0]!);

export type HttpSession = { cookie: string; sessionCookie: { name: string; value: string } };

/** Signs in over HTTP and returns the cookie header (CSRF + session) and the session cookie itself. */
export async function signInOverHttp(base: string, who: { email: string; password: string }): Promise<HttpSession> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiesOf(csrf);
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; "), origin: base },
    body: new URLSearchParams({ email: who.email, password: who.password, csrfToken, json: "true" }).toString(),
  });
  const session = cookiesOf(res).find((c) => c.includes("session-token"));
  if (!session) throw new Error(`sign-in set no session cookie (${res.status})`);
  const eq = session.indexOf("=");
  return { cookie: [...jar, session].join("; "), sessionCookie: { name: session.slice(0, eq), value: session.slice(eq + 1) } };
}

export type TrpcAnswer = { status: number; data: unknown; error: { code: string; message: string; httpStatus: number } | null };

async function answer(res: Response): Promise<TrpcAnswer> {
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { status: res.status, data: text, error: null };
  }
  const item = (Array.isArray(parsed) ? parsed[0] : parsed) as { result?: { data?: { json?: unknown } }; error?: { json?: { message: string; data?: { code: string; httpStatus: number } } } };
  const e = item?.error?.json;
  return {
    status: res.status,
    data: item?.result?.data?.json ?? null,
    error: e ? { code: e.data?.code ?? "", message: e.message, httpStatus: e.data?.httpStatus ?? res.status } : null,
  };
}

/** A tRPC query over GET (batch of one), with whatever headers the caller gives (cookie or none). */
export async function trpcQuery(base: string, path: string, input: unknown, headers: Record<string, string> = {}): Promise<TrpcAnswer> {
  const q = encodeURIComponent(JSON.stringify({ 0: { json: input ?? null } }));
  return answer(await fetch(`${base}/api/trpc/${path}?batch=1&input=${q}`, { headers, redirect: "manual" }));
}

/** A tRPC mutation over a same-origin POST (batch of one). */
export async function trpcMutation(base: string, path: string, input: unknown, headers: Record<string, string> = {}): Promise<TrpcAnswer> {
  return answer(await fetch(`${base}/api/trpc/${path}?batch=1`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base, "sec-fetch-site": "same-origin", ...headers },
    body: JSON.stringify({ 0: { json: input ?? null } }),
    redirect: "manual",
  }));
}
