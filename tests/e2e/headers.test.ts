/**
 * Issue 9, "Headers": the Content-Security-Policy with a per-request nonce, the other security headers, HSTS and
 * prefixed Secure cookies exactly when NEXTAUTH_URL is https, HttpOnly and SameSite=Lax always; then the main pages
 * in Chromium with zero CSP violations and working client islands.
 *
 * Two servers: the demo tenant on http (startAccessApp, NEXTAUTH_URL = the local URL) and one started with an https
 * NEXTAUTH_URL. The latter still listens on plain http locally (as behind a TLS-terminating proxy); requests name
 * the Host and Origin it expects, over node:http, so nothing (fetch's forbidden headers, a cookie jar) gets between.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { describeOnlyIf } from "../helpers/only-if.ts";
import { cspViolations, drainCspViolations, hasChromium, INSTALL_HINT, launchChromium, warnMissingChromium } from "./helpers/browser.ts";
import { DEMO_TENANT, signedInPage, startAccessApp, type AccessApp } from "./helpers/access-app.ts";
import { serverSkipReason, startE2eApp, type E2eApp } from "./helpers/e2e-app.ts";

const runBrowser = hasChromium();
const skipReason = serverSkipReason();
if (!runBrowser && !process.env.CI) warnMissingChromium();
else if (skipReason) console.warn(`\n!! e2e header tests SKIPPED: ${skipReason}\n`);

const PUBLIC_HTTPS = "https://roster.e2e.test";
const HSTS = "max-age=63072000; includeSubDomains";

type SetCookie = { name: string; value: string; attrs: Record<string, string | true> };
type Res = { status: number; headers: http.IncomingHttpHeaders; cookies: SetCookie[]; body: string };
/** Where a request goes (the local socket) and what it says it is for (Host, Origin: the public URL). */
type Target = { baseUrl: string; host: string; origin: string };

function parseSetCookie(line: string): SetCookie {
  const [pair, ...rest] = line.split(";");
  const eq = pair!.indexOf("=");
  const attrs: Record<string, string | true> = {};
  for (const a of rest) {
    const [k, ...v] = a.trim().split("=");
    if (k) attrs[k.toLowerCase()] = v.length ? v.join("=") : true;
  }
  return { name: pair!.slice(0, eq).trim(), value: pair!.slice(eq + 1).trim(), attrs };
}

function send(t: Target, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Res> {
  const url = new URL(path, t.baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: opts.method ?? "GET", headers: { host: t.host, ...(opts.headers ?? {}) }, timeout: 30_000 },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, cookies: (res.headers["set-cookie"] ?? []).map(parseSetCookie), body }));
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

const header = (r: Res, name: string) => {
  const v = r.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(", ") : v;
};
const directives = (csp: string) => new Map(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([n, ...v]) => [n!, v]));
/** The nonce of a response's CSP (script-src 'nonce-…'). */
const nonceOf = (csp: string | undefined) => /'nonce-([A-Za-z0-9+/=_-]+)'/.exec(csp ?? "")?.[1];

/** Every <script> tag of the HTML carries exactly `nonce`. */
function expectScriptsNonced(html: string, nonce: string) {
  const tags = html.match(/<script\b[^>]*>/g) ?? [];
  expect(tags.length).toBeGreaterThan(0);
  for (const tag of tags) expect(tag, tag).toContain(` nonce="${nonce}"`);
}

/** Signs in through next-auth's credentials callback with its CSRF token, as the sign-in page does. */
async function signIn(t: Target, who: { email: string; password: string }) {
  const csrfRes = await send(t, "/api/auth/csrf");
  expect(csrfRes.status).toBe(200);
  const csrf = csrfRes.cookies.find((c) => c.name.endsWith("next-auth.csrf-token"));
  expect(csrf, "csrf cookie").toBeDefined();
  const { csrfToken } = JSON.parse(csrfRes.body) as { csrfToken: string };
  const res = await send(t, "/api/auth/callback/credentials", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: t.origin,
      "sec-fetch-site": "same-origin",
      cookie: `${csrf!.name}=${csrf!.value}`,
    },
    body: new URLSearchParams({ csrfToken, email: who.email, password: who.password, callbackUrl: `${t.origin}/`, json: "true" }).toString(),
  });
  const session = res.cookies.find((c) => c.name.endsWith("next-auth.session-token") && c.value !== "");
  expect(session, `session cookie (status ${res.status}, ${res.body.slice(0, 200)})`).toBeDefined();
  return { csrf: csrf!, session: session!, all: [...csrfRes.cookies, ...res.cookies] };
}

function expectCookieFlags(c: SetCookie, secure: boolean) {
  expect(c.attrs.httponly, `${c.name} HttpOnly`).toBe(true);
  expect(String(c.attrs.samesite).toLowerCase(), `${c.name} SameSite`).toBe("lax");
  expect(c.attrs.secure === true, `${c.name} Secure`).toBe(secure);
}

describeOnlyIf(!runBrowser && !!process.env.CI)("Chromium", () => {
  it("should be installed on CI", () => {
    throw new Error(`/usr/bin/chromium is missing; install it with: ${INSTALL_HINT}`);
  });
});

describe.runIf(!skipReason)("security headers and cookies", () => {
  let plain: AccessApp;
  let secure: E2eApp;
  let p: Target;
  let s: Target;

  beforeAll(async () => {
    [plain, secure] = await Promise.all([startAccessApp(), startE2eApp({ serverEnv: { NEXTAUTH_URL: PUBLIC_HTTPS } })]);
    p = { baseUrl: plain.server.baseUrl, host: new URL(plain.server.baseUrl).host, origin: plain.server.baseUrl };
    s = { baseUrl: secure.server.baseUrl, host: new URL(PUBLIC_HTTPS).host, origin: PUBLIC_HTTPS };
  });
  afterAll(async () => {
    await Promise.all([plain?.close(), secure?.close()]);
  });

  it("GET /signin - a CSP with a fresh nonce per response, scripts by nonce only, never framed", async () => {
    const [a, b] = [await send(p, "/signin"), await send(p, "/signin")];
    expect(a.status).toBe(200);
    const csp = header(a, "content-security-policy")!;
    const d = directives(csp);
    const nonce = nonceOf(csp)!;
    expect(Buffer.from(nonce, "base64").length).toBeGreaterThanOrEqual(16);
    expect(nonceOf(header(b, "content-security-policy"))).not.toBe(nonce);
    expect(d.get("script-src")).toEqual([`'nonce-${nonce}'`, "'strict-dynamic'"]);
    expect(d.get("script-src")).not.toContain("'unsafe-inline'");
    expect(d.get("script-src")).not.toContain("'unsafe-eval'");
    expect(d.get("style-src")).toEqual(["'self'", `'nonce-${nonce}'`]);
    expect(d.get("frame-ancestors")).toEqual(["'none'"]);
    expect(d.get("object-src")).toEqual(["'none'"]);
    expect(d.get("base-uri")).toEqual(["'none'"]);
    expect(d.get("form-action")).toEqual(["'self'"]);
    expectScriptsNonced(a.body, nonce);
    expectScriptsNonced(b.body, nonceOf(header(b, "content-security-policy"))!);
  });

  it("GET /no-such-page - the not-found page is rendered per request with nonce'd scripts too", async () => {
    const res = await send(p, "/no-such-page");
    expect(res.status).toBe(404);
    expectScriptsNonced(res.body, nonceOf(header(res, "content-security-policy"))!);
  });

  it("GET /signin - ignores a nonce or policy the client sends in its own request", async () => {
    const res = await send(p, "/signin", { headers: { "x-nonce": "AAAAAAAAAAAAAAAAAAAAAA==", "content-security-policy": "script-src 'nonce-AAAAAAAAAAAAAAAAAAAAAA=='" } });
    const nonce = nonceOf(header(res, "content-security-policy"))!;
    expect(nonce).not.toBe("AAAAAAAAAAAAAAAAAAAAAA==");
    expect(res.body).not.toContain("AAAAAAAAAAAAAAAAAAAAAA==");
    expectScriptsNonced(res.body, nonce);
  });

  it("should send nosniff, DENY framing, a referrer and a permissions policy on pages and API alike; no HSTS on http", async () => {
    for (const path of ["/signin", "/api/health", "/api/v1/auth", `/t/${DEMO_TENANT}/members`]) {
      const res = await send(p, path);
      expect(header(res, "x-content-type-options"), path).toBe("nosniff");
      expect(header(res, "x-frame-options"), path).toBe("DENY");
      expect(header(res, "referrer-policy"), path).toBe("strict-origin-when-cross-origin");
      expect(header(res, "permissions-policy"), path).toContain("camera=()");
      expect(header(res, "strict-transport-security"), path).toBeUndefined();
      expect(header(res, "x-powered-by"), path).toBeUndefined();
    }
    // JSON answers carry no page policy.
    expect(header(await send(p, "/api/health"), "content-security-policy")).toBeUndefined();
  });

  it("GET /invite - no referrer from the invitation pages", async () => {
    expect(header(await send(p, "/invite"), "referrer-policy")).toBe("no-referrer");
    expect(header(await send(p, "/invite/not-a-real-token-0123456789"), "referrer-policy")).toBe("no-referrer");
  });

  it("should sign in over http with unprefixed, HttpOnly, SameSite=Lax cookies that are not Secure", async () => {
    const { csrf, session, all } = await signIn(p, plain.owner);
    expect(csrf.name).toBe("next-auth.csrf-token");
    expect(session.name).toBe("next-auth.session-token");
    for (const c of all) {
      expect(c.name.startsWith("__")).toBe(false);
      expectCookieFlags(c, false);
    }
    const me = await send(p, "/api/auth/session", { headers: { cookie: `${session.name}=${session.value}` } });
    expect((JSON.parse(me.body) as { user?: { email: string } }).user?.email).toBe(plain.owner.email);

    const invite = await send(p, "/invite/not-a-real-token-0123456789");
    const cookie = invite.cookies.find((c) => c.name.endsWith("roster_invite"))!;
    expect(cookie.name).toBe("roster_invite");
    expect(cookie.attrs.path).toBe("/invite");
    expectCookieFlags(cookie, false);
  });

  it("should send HSTS on every response when NEXTAUTH_URL is https", async () => {
    for (const path of ["/signin", "/api/health", "/invite"]) {
      const res = await send(s, path);
      expect(header(res, "strict-transport-security"), path).toBe(HSTS);
      expect(header(res, "x-frame-options"), path).toBe("DENY");
    }
    const page = await send(s, "/signin");
    expectScriptsNonced(page.body, nonceOf(header(page, "content-security-policy"))!);
  });

  it("should sign in with __Host-/__Secure- prefixed Secure cookies when NEXTAUTH_URL is https", async () => {
    const { csrf, session, all } = await signIn(s, secure.owner);
    expect(csrf.name).toBe("__Host-next-auth.csrf-token");
    expect(csrf.attrs.path).toBe("/");
    expect(csrf.attrs.domain).toBeUndefined();
    expect(session.name).toBe("__Secure-next-auth.session-token");
    for (const c of all) {
      expect(c.name, c.name).toMatch(/^__(Host|Secure)-/);
      expectCookieFlags(c, true);
    }
    // The server reads the cookie under the same name: the session is there.
    const me = await send(s, "/api/auth/session", { headers: { cookie: `${session.name}=${session.value}` } });
    expect((JSON.parse(me.body) as { user?: { email: string } }).user?.email).toBe(secure.owner.email);
    // ...and not under the unprefixed one.
    const wrong = await send(s, "/api/auth/session", { headers: { cookie: `next-auth.session-token=${session.value}` } });
    expect(JSON.parse(wrong.body)).toEqual({});

    const invite = await send(s, "/invite/not-a-real-token-0123456789");
    const cookie = invite.cookies.find((c) => c.name.endsWith("roster_invite"))!;
    expect(cookie.name).toBe("__Secure-roster_invite");
    expect(cookie.attrs.path).toBe("/invite");
    expectCookieFlags(cookie, true);
  });

  describe.runIf(runBrowser)("in Chromium", () => {
    let browser: Browser;
    let owner: Page;

    beforeAll(async () => {
      browser = await launchChromium();
      owner = await signedInPage(browser, plain, plain.owner);
    });
    afterAll(async () => {
      await browser?.close();
    });

    it("should walk the main pages with nonce'd framework scripts and zero CSP violations", async () => {
      const pages = [
        `/t/${DEMO_TENANT}`,
        `/t/${DEMO_TENANT}/members`,
        `/t/${DEMO_TENANT}/members/${plain.worker.membershipId}`,
        `/t/${DEMO_TENANT}/members/${plain.worker.membershipId}/access`,
        `/t/${DEMO_TENANT}/roles`,
        `/t/${DEMO_TENANT}/pending`,
        `/t/${DEMO_TENANT}/units`,
        `/t/${DEMO_TENANT}/settings`,
        `/t/${DEMO_TENANT}/tokens`,
        `/t/${DEMO_TENANT}/audit`,
        "/account",
        "/invite",
      ];
      for (const path of pages) {
        const res = await owner.goto(path, { waitUntil: "load" });
        expect(res?.status(), path).toBe(200);
        const nonce = nonceOf((await res!.headerValue("content-security-policy")) ?? undefined);
        expect(nonce, path).toBeDefined();
        expectScriptsNonced(await res!.text(), nonce!);
        // Every script element in the live document (also those React or Next added) carries the nonce, except the
        // chunks the bundler's runtime loads on demand (a dialog, a form's schema): 'strict-dynamic' trusts those
        // because a nonce'd script added them, and they must be our own static chunks.
        const scripts = await owner.evaluate(() => Array.from(document.scripts).map((s) => ({ nonce: s.nonce, src: s.src })));
        expect(scripts.length, path).toBeGreaterThan(0);
        const unnonced = scripts.filter((s) => s.nonce !== nonce);
        expect(unnonced.filter((s) => !(s.src || "about:blank").startsWith(new URL("/_next/static/chunks/", plain.server.baseUrl).href)), path).toEqual([]);
      }
      // The anonymous pages, in a fresh context.
      const anon = await (await browser.newContext({ baseURL: plain.server.baseUrl })).newPage();
      for (const path of ["/signin", "/invite", `/join/${DEMO_TENANT}`]) {
        const res = await anon.goto(path, { waitUntil: "load" });
        expect(res?.status(), path).toBeLessThan(400);
      }
      expect(await drainCspViolations()).toEqual([]);
    });

    it("should still run client islands: React state on a click, and the members search", async () => {
      await owner.goto(`/t/${DEMO_TENANT}/units`);
      const row = owner.getByTestId("unit-row").filter({ hasText: plain.depot.name });
      await row.getByRole("button", { name: "Users", exact: true }).click();
      // Only React's onClick turns the button into "Hide users" (a blocked bundle would leave it as it was).
      await row.getByRole("button", { name: "Hide users" }).waitFor({ state: "visible" });

      await owner.goto(`/t/${DEMO_TENANT}/members`);
      await owner.getByTestId("members-search").fill("Jo");
      await Promise.all([owner.waitForURL(/\/members\?q=Jo/), owner.getByTestId("members-search").press("Enter")]);
      expect(await owner.getByTestId("member-row").count()).toBe(1);
      expect(await drainCspViolations()).toEqual([]);
    });

    it("should block and report an injected inline event handler (the watch itself can fail)", async () => {
      await owner.goto(`/t/${DEMO_TENANT}/members`);
      const ran = await owner.evaluate(async () => {
        // Markup injection, as an XSS in rendered data would be ('strict-dynamic' trusts what trusted scripts build
        // with createElement, so injected markup is the case the policy must stop).
        document.body.insertAdjacentHTML("beforeend", '<img src="data:," onload="window.__pwned = 1" onerror="window.__pwned = 1">');
        await new Promise((r) => setTimeout(r, 200));
        return (window as unknown as { __pwned?: number }).__pwned ?? null;
      });
      expect(ran).toBeNull();
      const caught = await drainCspViolations();
      expect(caught.some((v) => v.via === "event" && v.directive === "script-src-attr")).toBe(true);
      expect(cspViolations().length).toBeGreaterThanOrEqual(caught.length);
    });
  });
});
