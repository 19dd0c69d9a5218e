/** server/security/headers.ts: the CSP and the other response headers proxy.ts sets (issue 9, "Headers"). */
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, HSTS_VALUE, isPagePath, newNonce, securityHeaders } from "../../server/security/headers.ts";

const directives = (csp: string) => new Map(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

describe("newNonce", () => {
  it("should be base64 of at least 128 random bits and never repeat", () => {
    const nonces = Array.from({ length: 1000 }, newNonce);
    expect(new Set(nonces).size).toBe(1000);
    for (const n of nonces.slice(0, 20)) {
      expect(n).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      expect(Buffer.from(n, "base64").length * 8).toBeGreaterThanOrEqual(128);
    }
  });
});

describe("contentSecurityPolicy", () => {
  it("should allow scripts only by nonce and strict-dynamic, never unsafe-inline or unsafe-eval in production", () => {
    const d = directives(contentSecurityPolicy("abc123=="));
    expect(d.get("script-src")).toEqual(["'nonce-abc123=='", "'strict-dynamic'"]);
    expect(d.get("style-src")).toEqual(["'self'", "'nonce-abc123=='"]);
    expect(d.get("style-src-attr")).toEqual(["'unsafe-inline'"]);
    expect(d.get("default-src")).toEqual(["'self'"]);
    expect(d.get("img-src")).toEqual(["'self'", "data:", "blob:"]);
    expect(d.get("font-src")).toEqual(["'self'"]);
    expect(d.get("connect-src")).toEqual(["'self'"]);
    expect(d.get("object-src")).toEqual(["'none'"]);
    expect(d.get("base-uri")).toEqual(["'none'"]);
    expect(d.get("form-action")).toEqual(["'self'"]);
    expect(d.get("frame-ancestors")).toEqual(["'none'"]);
  });

  it("should add unsafe-eval to script-src only in development", () => {
    expect(directives(contentSecurityPolicy("n", { dev: true })).get("script-src")).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy("n", { dev: false })).not.toContain("unsafe-eval");
  });
});

describe("securityHeaders", () => {
  const get = (h: [string, string][], name: string) => h.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

  it("should send HSTS exactly when the public URL is https", () => {
    expect(get(securityHeaders({ https: true, pathname: "/signin" }), "Strict-Transport-Security")).toBe(HSTS_VALUE);
    expect(HSTS_VALUE).toBe("max-age=63072000; includeSubDomains");
    expect(get(securityHeaders({ https: false, pathname: "/signin" }), "Strict-Transport-Security")).toBeUndefined();
  });

  it("should always send nosniff, DENY framing, a referrer policy and a permissions policy", () => {
    const h = securityHeaders({ https: false, pathname: "/api/v1/auth" });
    expect(get(h, "X-Content-Type-Options")).toBe("nosniff");
    expect(get(h, "X-Frame-Options")).toBe("DENY");
    expect(get(h, "Referrer-Policy")).toBe("strict-origin-when-cross-origin");
    expect(get(h, "Permissions-Policy")).toContain("camera=()");
  });

  it("should send no referrer at all from the invitation pages", () => {
    for (const pathname of ["/invite", "/invite/some-token", "/invite/accept"]) {
      expect(get(securityHeaders({ https: false, pathname }), "Referrer-Policy")).toBe("no-referrer");
    }
    expect(get(securityHeaders({ https: false, pathname: "/invites" }), "Referrer-Policy")).toBe("strict-origin-when-cross-origin");
  });
});

describe("isPagePath", () => {
  it("should treat everything but /api as a page", () => {
    expect(isPagePath("/")).toBe(true);
    expect(isPagePath("/t/acme/members")).toBe(true);
    expect(isPagePath("/apis")).toBe(true);
    expect(isPagePath("/api")).toBe(false);
    expect(isPagePath("/api/trpc/x")).toBe(false);
  });
});
