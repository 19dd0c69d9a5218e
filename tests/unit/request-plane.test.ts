/** Pure parts of the request plane: the client IP rules, the server's flags and the database-unavailable classifier. */
import { describe, expect, it } from "vitest";
import { parseServeArgs } from "../../server/cli/serve.ts";
import { isDatabaseUnavailable } from "../../server/db/unavailable.ts";
import { AppError, AppErrorCode } from "../../server/errors.ts";
import { clientIpFrom, PEER_HEADER } from "../../server/security/client-ip.ts";
import { routePattern } from "../../server/security/security-log.ts";

const h = (peer: string | null, xff?: string) => {
  const headers = new Headers();
  if (peer) headers.set(PEER_HEADER, peer);
  if (xff) headers.set("x-forwarded-for", xff);
  return headers;
};

describe("clientIpFrom", () => {
  it("should use the socket peer and ignore X-Forwarded-For when the peer is not a trusted proxy", () => {
    expect(clientIpFrom(h("203.0.113.9", "198.51.100.1"), [])).toBe("203.0.113.9");
    expect(clientIpFrom(h("203.0.113.9", "198.51.100.1"), ["10.0.0.1"])).toBe("203.0.113.9");
  });

  it("should take the right-most untrusted address when the peer is a trusted proxy", () => {
    expect(clientIpFrom(h("10.0.0.1", "1.2.3.4, 198.51.100.1, 10.0.0.2"), ["10.0.0.1", "10.0.0.2"])).toBe("198.51.100.1");
  });

  it("should fall back to the proxy itself when it forwarded nothing usable", () => {
    expect(clientIpFrom(h("10.0.0.1", "not-an-ip"), ["10.0.0.1"])).toBe("10.0.0.1");
  });

  it("should unwrap IPv4-mapped IPv6 peers and know nothing without a peer header", () => {
    expect(clientIpFrom(h("::ffff:127.0.0.1", "198.51.100.1"), ["127.0.0.1"])).toBe("198.51.100.1");
    expect(clientIpFrom(h(null, "198.51.100.1"), [])).toBeNull();
  });
});

describe("parseServeArgs", () => {
  it("should read -p/--port and -H/--hostname like next start, with PORT as the default port", () => {
    // Next's global types make NODE_ENV a required key of ProcessEnv (next build type-checks tests too).
    const env = (e: Record<string, string>) => e as NodeJS.ProcessEnv;
    expect(parseServeArgs(["-p", "4000", "-H", "127.0.0.1"], env({}))).toEqual({ port: 4000, hostname: "127.0.0.1" });
    expect(parseServeArgs(["--port=4001", "--hostname", "::1"], env({}))).toEqual({ port: 4001, hostname: "::1" });
    expect(parseServeArgs([], env({ PORT: "5000" }))).toEqual({ port: 5000, hostname: undefined });
    expect(parseServeArgs([], env({}))).toEqual({ port: 3000, hostname: undefined });
  });
});

describe("isDatabaseUnavailable", () => {
  it("should recognise refused, killed and timed-out connections through causes and Prisma's driver-adapter meta", () => {
    expect(isDatabaseUnavailable(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(isDatabaseUnavailable(new Error("x", { cause: new Error("Connection terminated unexpectedly") }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("Raw query failed"), { code: "P2010", meta: { driverAdapterError: { name: "DriverAdapterError", cause: { kind: "ConnectionClosed" } } } }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("Timed out fetching a new connection from the connection pool"), { code: "P2024" }))).toBe(true);
    expect(isDatabaseUnavailable(new AppError(AppErrorCode.UNAVAILABLE))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('database "roster" is not currently accepting connections'), { code: "55000" }))).toBe(true);
  });

  it("should leave real bugs and other AppErrors alone", () => {
    expect(isDatabaseUnavailable(new TypeError("undefined is not a function"))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error("Unique constraint failed"), { code: "P2002" }))).toBe(false);
    expect(isDatabaseUnavailable(new AppError(AppErrorCode.NOT_FOUND))).toBe(false);
  });
});

describe("routePattern", () => {
  it("should fold ids and emails so an enumeration is one route", () => {
    expect(routePattern("/api/v1/company/12/users/34/permissions")).toBe("/api/v1/company/:id/users/:id/permissions");
    expect(routePattern("/api/v1/tenants/members/alice%40x.test")).toBe("/api/v1/tenants/members/:email");
  });
});
