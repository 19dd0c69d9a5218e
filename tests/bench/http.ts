/**
 * The bench's HTTP client: node:http over one keep-alive agent per target (no fetch: its extra layers would add
 * client time to every sample), with a per-request deadline so a stuck server can never hang the run.
 */
import http from "node:http";

export type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string; ms: number; ttfbMs: number };

export type Client = {
  base: string;
  request(method: string, path: string, opts?: { headers?: Record<string, string>; body?: string; timeoutMs?: number }): Promise<Reply>;
  close(): void;
};

export function createClient(base: string, defaultTimeoutMs = 30_000): Client {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  return {
    base,
    request(method, path, opts = {}) {
      return new Promise<Reply>((resolve, reject) => {
        const started = process.hrtime.bigint();
        let ttfb = 0;
        const body = opts.body === undefined ? undefined : Buffer.from(opts.body);
        const req = http.request(
          {
            host: url.hostname, port: url.port, path, method, agent,
            headers: { ...(body ? { "content-length": String(body.length) } : {}), ...(opts.headers ?? {}) },
            timeout: opts.timeoutMs ?? defaultTimeoutMs,
          },
          (res) => {
            ttfb = Number(process.hrtime.bigint() - started) / 1e6;
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8"), ms: Number(process.hrtime.bigint() - started) / 1e6, ttfbMs: ttfb });
            });
            res.on("error", reject);
          },
        );
        req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer within ${opts.timeoutMs ?? defaultTimeoutMs} ms`)));
        req.on("error", reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

/** `name=value` pairs of a reply's Set-Cookie headers. */
export const cookiesOf = (r: Reply): string[] => (r.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]!);

export class BenchHttpError extends Error {}

export function expectStatus(r: Reply, ok: (s: number) => boolean, what: string): Reply {
  if (!ok(r.status)) throw new BenchHttpError(`${what}: HTTP ${r.status}: ${r.body.slice(0, 400)}`);
  return r;
}

/** The `json` payload of a non-batched tRPC answer, or an error naming the procedure. */
export function trpcData<T>(r: Reply, proc: string): T {
  let parsed: { result?: { data?: { json?: unknown } }; error?: { json?: { message?: string } } };
  try {
    parsed = JSON.parse(r.body) as typeof parsed;
  } catch {
    throw new BenchHttpError(`${proc}: HTTP ${r.status}, not JSON: ${r.body.slice(0, 300)}`);
  }
  if (parsed.error || r.status >= 400) throw new BenchHttpError(`${proc}: HTTP ${r.status}: ${parsed.error?.json?.message ?? r.body.slice(0, 300)}`);
  return parsed.result?.data?.json as T;
}

export const trpcGetPath = (proc: string, input: unknown) => `/api/trpc/${proc}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
export const trpcPostBody = (input: unknown) => JSON.stringify({ json: input });

/** Signs in like a browser: GET /api/auth/csrf, then the credentials POST; returns the cookie header to send. */
export async function signInRoster(c: Client, email: string, password: string): Promise<{ cookie: string; reply: Reply }> {
  const csrf = expectStatus(await c.request("GET", "/api/auth/csrf"), (s) => s === 200, "GET /api/auth/csrf");
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const jar = cookiesOf(csrf);
  const reply = await signInPost(c, jar, csrfToken, email, password);
  const session = cookiesOf(reply).find((x) => x.includes("session-token"));
  if (!session) throw new BenchHttpError(`sign-in of ${email} set no session cookie (HTTP ${reply.status}): ${reply.body.slice(0, 300)}`);
  return { cookie: [...jar, session].join("; "), reply };
}

/** POST /api/auth/callback/credentials (form-encoded, as the sign-in page's next-auth client sends it). */
export function signInPost(c: Client, jar: string[], csrfToken: string, email: string, password: string): Promise<Reply> {
  return c.request("POST", "/api/auth/callback/credentials", {
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; "), origin: c.base },
    body: new URLSearchParams({ email, password, csrfToken, json: "true" }).toString(),
  });
}

export async function csrfOf(c: Client): Promise<{ jar: string[]; csrfToken: string }> {
  const csrf = expectStatus(await c.request("GET", "/api/auth/csrf"), (s) => s === 200, "GET /api/auth/csrf");
  return { jar: cookiesOf(csrf), csrfToken: (JSON.parse(csrf.body) as { csrfToken: string }).csrfToken };
}
