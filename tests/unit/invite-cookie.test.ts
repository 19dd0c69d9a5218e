/** server/invite-landing/cookie.ts: the invitation cookie is __Secure- prefixed and Secure exactly when NEXTAUTH_URL is https. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { NextResponse } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "../../server/env.ts";
import { clearInviteCookie, inviteCookieName, inviteCookieOptions, readInviteCookie } from "../../server/invite-landing/cookie.ts";

let dataDir: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "roster-invite-cookie-"));
  for (const k of ["DATABASE_URL", "NEXTAUTH_URL", "PORT", "DATA_ENCRYPTION_KEY"]) vi.stubEnv(k, undefined);
  vi.stubEnv("DATA_DIR", dataDir);
  vi.stubEnv("NEXTAUTH_SECRET", "x".repeat(32));
  resetEnvCache();
});

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("the invitation cookie", () => {
  it("should be __Secure-roster_invite, Secure, HttpOnly, SameSite=Lax and Path=/invite with an https NEXTAUTH_URL", () => {
    vi.stubEnv("NEXTAUTH_URL", "https://roster.example.com");
    expect(inviteCookieName()).toBe("__Secure-roster_invite");
    expect(inviteCookieOptions()).toMatchObject({ secure: true, httpOnly: true, sameSite: "lax", path: "/invite" });
  });

  it("should be roster_invite, not Secure, still HttpOnly and SameSite=Lax over http", () => {
    vi.stubEnv("NEXTAUTH_URL", "http://localhost:3000");
    expect(inviteCookieName()).toBe("roster_invite");
    expect(inviteCookieOptions()).toMatchObject({ secure: false, httpOnly: true, sameSite: "lax", path: "/invite" });
  });

  it("should be read back under the name it was set with, and never under the other", () => {
    vi.stubEnv("NEXTAUTH_URL", "https://roster.example.com");
    const jar = (name: string) => ({ get: (n: string) => (n === name ? { value: "tok" } : undefined) });
    expect(readInviteCookie(jar("__Secure-roster_invite"))).toBe("tok");
    expect(readInviteCookie(jar("roster_invite"))).toBeUndefined();
  });

  it("should be cleared with the attributes a browser needs to overwrite a __Secure- cookie", () => {
    vi.stubEnv("NEXTAUTH_URL", "https://roster.example.com");
    const res = NextResponse.next();
    clearInviteCookie(res);
    const line = res.headers.get("set-cookie") ?? "";
    expect(line).toMatch(/^__Secure-roster_invite=;/);
    expect(line).toMatch(/Secure/);
    expect(line).toMatch(/Path=\/invite/);
    expect(line).toMatch(/Max-Age=0/);
  });
});
