/**
 * The client IP against the running server (server/cli/serve.ts): a client-sent X-Forwarded-For (or a forged
 * x-roster-peer) is ignored unless TRUSTED_PROXIES lists the socket peer; with TRUSTED_PROXIES=127.0.0.1 (a proxy on
 * this host) the forwarded address is the client's. Observed where it is recorded: the session row's IP, as the
 * account's session list shows it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAccessApp, type AccessApp } from "./helpers/access-app.ts";
import { serverSkipReason } from "./helpers/e2e-app.ts";

const skipReason = serverSkipReason();
if (skipReason) console.warn(`\n!! e2e client-IP tests SKIPPED: ${skipReason}\n`);

const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";")[0]!);

/** Signs in over HTTP as a browser would (CSRF cookie and token, credentials callback) and returns the cookies. */
async function signInOverHttp(app: AccessApp, headers: Record<string, string>): Promise<string> {
  const base = app.server.baseUrl;
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiesOf(csrf);
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; "), origin: base, ...headers },
    body: new URLSearchParams({ email: app.owner.email, password: app.owner.password, csrfToken, json: "true" }).toString(),
  });
  const session = cookiesOf(res).filter((c) => c.includes("session-token"));
  if (!session.length) throw new Error(`sign-in set no session cookie (${res.status})`);
  return [...jar, ...session].join("; ");
}

/** The IP of the session the cookie belongs to (account.sessions marks none as current; it is the newest). */
async function sessionIp(app: AccessApp, cookie: string): Promise<string | null> {
  const input = encodeURIComponent(JSON.stringify({ 0: { json: null } }));
  const res = await fetch(`${app.server.baseUrl}/api/trpc/account.sessions?batch=1&input=${input}`, { headers: { cookie } });
  expect(res.status).toBe(200);
  const [item] = (await res.json()) as { result: { data: { json: { ip: string | null; createdAt: string }[] } } }[];
  const rows = item!.result.data.json;
  return rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]?.ip ?? null;
}

const SPOOFED = "198.51.100.77";

describe.skipIf(!!skipReason)("the client IP behind Roster's own server", () => {
  let direct: AccessApp;
  let proxied: AccessApp;
  beforeAll(async () => {
    direct = await startAccessApp();
    proxied = await startAccessApp({ serverEnv: { TRUSTED_PROXIES: "127.0.0.1" } });
  });
  afterAll(async () => {
    await direct?.close();
    await proxied?.close();
  });

  it("should ignore a spoofed X-Forwarded-For from an untrusted peer and record the socket address", async () => {
    const cookie = await signInOverHttp(direct, { "x-forwarded-for": SPOOFED });
    expect(await sessionIp(direct, cookie)).toBe("127.0.0.1");
  });

  it("should overwrite a client-sent x-roster-peer header with the socket address", async () => {
    const cookie = await signInOverHttp(direct, { "x-roster-peer": SPOOFED, "x-forwarded-for": SPOOFED });
    expect(await sessionIp(direct, cookie)).toBe("127.0.0.1");
  });

  it("should believe X-Forwarded-For when TRUSTED_PROXIES lists the peer", async () => {
    const cookie = await signInOverHttp(proxied, { "x-forwarded-for": `10.9.9.9, ${SPOOFED}` });
    // The right-most untrusted entry is the client the trusted proxy saw.
    expect(await sessionIp(proxied, cookie)).toBe(SPOOFED);
  });
});
