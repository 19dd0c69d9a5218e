/**
 * server/rest/routes: REST_ROUTES is the same set of routes, methods and handler objects as Next's file-system routes
 * under app/api (so serve.ts and Next run the same code), and matchRestRoute picks routes the way Next does.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { restFallback, restOptions } from "../../server/rest/routes/fallback.ts";
import { matchRestRoute, REST_METHODS, REST_ROUTES, routeMethodsAt, type Handler, type RestRoute } from "../../server/rest/routes/index.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const APP = path.join(ROOT, "app");
// The API routes that are not REST endpoints: tRPC and next-auth have doors of their own, and the catch-all answers
// the /api/v1 paths no route has (restFallback, tested below).
const CATCH_ALL = "app/api/v1/[...path]/";
const NOT_REST = ["app/api/trpc/", "app/api/auth/[...nextauth]/", CATCH_ALL];
// Every method Next lets a route file export; the table may define only REST_METHODS, so a HEAD or OPTIONS export
// in a file would show up as a mismatch.
const NEXT_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"] as const;

function walk(dir: string, keep: (file: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full, keep));
    else if (keep(full)) out.push(full);
  }
  return out.sort();
}

const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join("/");
const restRouteFiles = walk(path.join(APP, "api"), (f) => path.basename(f) === "route.ts").filter((f) => !NOT_REST.some((p) => rel(f).startsWith(p)));
/** `app/api/v1/company/[location_id]/users/route.ts` → `/api/v1/company/[location_id]/users`. */
const patternOf = (file: string) => "/" + path.relative(APP, path.dirname(file)).split(path.sep).join("/");
const byPattern = new Map(REST_ROUTES.map((r) => [r.pattern, r]));

/** A concrete path for a pattern, each `[name]` replaced by its value (encoded). */
const fill = (pattern: string, values: Record<string, string>) =>
  pattern.replace(/\[([^\]]+)\]/g, (_m, name: string) => encodeURIComponent(values[name] ?? `v-${name}`));
const paramNames = (pattern: string) => [...pattern.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!);
const handlerOf = (pattern: string, method: (typeof REST_METHODS)[number]): Handler => {
  const h = byPattern.get(pattern)?.methods[method];
  if (!h) throw new Error(`no ${method} ${pattern} in REST_ROUTES`);
  return h;
};

describe("REST_ROUTES and app/api", () => {
  it("should find the REST route files (not only the two excluded ones)", () => {
    expect(restRouteFiles.length).toBe(REST_ROUTES.length);
    expect(restRouteFiles.length).toBeGreaterThan(20);
  });

  it("should have exactly one table pattern per app/api route file, trpc and nextauth aside", () => {
    const patterns = REST_ROUTES.map((r) => r.pattern);
    expect(new Set(patterns).size, "a pattern appears twice in REST_ROUTES").toBe(patterns.length);
    expect([...patterns].sort()).toEqual(restRouteFiles.map(patternOf).sort());
  });

  for (const file of restRouteFiles) {
    const pattern = patternOf(file);
    it(`${pattern} - should export the table's methods as the very same handler objects, restFallback for the rest, restOptions for OPTIONS`, async () => {
      const mod = (await import(file)) as Record<string, unknown>;
      const route = byPattern.get(pattern) as RestRoute;
      const exported = NEXT_METHODS.filter((m) => m in mod);
      // No HEAD: Next's automatic HEAD answers from the GET.
      expect(exported, `${rel(file)} exports`).toEqual(NEXT_METHODS.filter((m) => m !== "HEAD"));
      for (const m of REST_METHODS) expect(mod[m], `${m} ${pattern}`).toBe(route.methods[m] ?? restFallback);
      expect(mod.OPTIONS, `OPTIONS ${pattern}`).toBe(restOptions);
    });
  }

  it("should keep the app route files to re-exports from server/rest/routes (plus Next's segment config)", () => {
    for (const file of restRouteFiles) {
      const lines = fs.readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "");
      for (const line of lines) {
        expect(line, rel(file)).toMatch(/^export \{ [^}]+ \} from "@\/server\/rest\/routes\/[a-z-]+\.ts";$|^export const (dynamic|revalidate|runtime|fetchCache|maxDuration|preferredRegion) = /);
      }
    }
  });

  it("should never import from app/ anywhere under server/", () => {
    const offenders = walk(path.join(ROOT, "server"), (f) => /\.(ts|tsx|js|mjs)$/.test(f))
      .filter((f) => /(?:from\s+|import\s*\(\s*)["'](?:@\/app\/|(?:\.\.\/)+app\/)/.test(fs.readFileSync(f, "utf8")))
      .map(rel);
    expect(offenders).toEqual([]);
  });
});

describe("restFallback and the catch-all", () => {
  it("should be what the catch-all route file exports for every method Next knows", async () => {
    const mod = (await import(path.join(ROOT, CATCH_ALL, "route.ts"))) as Record<string, unknown>;
    for (const m of NEXT_METHODS) expect(mod[m], m).toBe(restFallback);
  });

  it("should answer an unknown seed 000 path with a 404 in the seed 000 envelope", async () => {
    const res = await restFallback(new Request("http://x.test/api/v1/company/1/nope", { method: "GET" }));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ success: false, data: null, meta: { message: "No such endpoint: GET /api/v1/company/1/nope." } });
  });

  it("should answer an unknown path elsewhere under /api/v1 with a 404 problem", async () => {
    const res = await restFallback(new Request("http://x.test/api/v1/webhooks", { method: "POST" }));
    expect(res.status).toBe(404);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ title: "Not Found", detail: "No such endpoint: POST /api/v1/webhooks." });
    expect(Date.parse(String(body.time))).not.toBeNaN();
  });

  it("should answer a method the route lacks with a 405 naming the allowed methods, in the family's shape", async () => {
    const seed000 = await restFallback(new Request("http://x.test/api/v1/company/1/users/2/permissions", { method: "PATCH" }));
    expect(seed000.status).toBe(405);
    expect(seed000.headers.get("allow")).toBe("GET, PUT, HEAD, OPTIONS");
    expect(await seed000.json()).toMatchObject({ success: false, data: null, meta: { message: expect.stringContaining("allowed: GET, PUT, HEAD, OPTIONS") } });
    const seed003 = await restFallback(new Request("http://x.test/api/v1/tenants/members/invite", { method: "GET" }));
    expect(seed003.status).toBe(405);
    expect(seed003.headers.get("allow")).toBe("POST, OPTIONS");
    expect(await seed003.json()).toMatchObject({ title: "Method Not Allowed" });
  });

  it("should answer OPTIONS with the route's own methods, and an unknown path with the 404", async () => {
    const known = await restOptions(new Request("http://x.test/api/v1/tenants/members/active", { method: "OPTIONS" }));
    expect(known.status).toBe(204);
    expect(known.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    const unknown = await restOptions(new Request("http://x.test/api/v1/nope", { method: "OPTIONS" }));
    expect(unknown.status).toBe(404);
  });

  it("should know each route's methods by path whatever the method asked", () => {
    expect(routeMethodsAt("/api/v1/company/12/users/34/permissions")).toEqual(["GET", "PUT"]);
    expect(routeMethodsAt("/api/v1/tenants/members/remove/a%40b.test")).toEqual(["GET", "POST"]);
    expect(routeMethodsAt("/api/v1/nope")).toBeNull();
    expect(routeMethodsAt("/api/v1/tenants/members/active/")).toBeNull();
    expect(routeMethodsAt("/api/v1/tenants/members/%")).toBeNull();
  });
});

describe("matchRestRoute", () => {
  it("should match every route and method of the table, with the pattern's params", () => {
    for (const route of REST_ROUTES) {
      const values = Object.fromEntries(paramNames(route.pattern).map((n, i) => [n, `${100 + i}`]));
      for (const method of REST_METHODS) {
        const handler = route.methods[method];
        const found = matchRestRoute(method, fill(route.pattern, values));
        if (handler) expect(found, `${method} ${route.pattern}`).toEqual({ handler, params: values });
        else expect(found, `${method} ${route.pattern}`).toBeNull();
      }
    }
  });

  it("should decode params with decodeURIComponent", () => {
    expect(matchRestRoute("DELETE", "/api/v1/company/12/users/34")).toEqual({
      handler: handlerOf("/api/v1/company/[location_id]/users/[user_id]", "DELETE"),
      params: { location_id: "12", user_id: "34" },
    });
    expect(matchRestRoute("POST", "/api/v1/tenants/members/remove/alice%40x.test")).toEqual({
      handler: handlerOf("/api/v1/tenants/members/remove/[email]", "POST"),
      params: { email: "alice@x.test" },
    });
    expect(matchRestRoute("GET", "/api/v1/tenants/members/invite/cancel/a%2Fb%20c%C3%A9")?.params).toEqual({ email: "a/b cé" });
    // Already-decoded characters pass through unchanged.
    expect(matchRestRoute("DELETE", "/api/v1/tenants/members/bob@x.test")?.params).toEqual({ email: "bob@x.test" });
  });

  it("should return null for a trailing slash", () => {
    expect(matchRestRoute("GET", "/api/health/")).toBeNull();
    expect(matchRestRoute("GET", "/api/v1/tenants/members/active/")).toBeNull();
    expect(matchRestRoute("DELETE", "/api/v1/company/12/users/34/")).toBeNull();
  });

  it.each([
    ["an unknown path", "/api/v1/nope"],
    ["a prefix of a route", "/api/v1"],
    ["a route plus a segment", "/api/v1/auth/x"],
    ["the root", "/"],
    ["an empty string", ""],
    ["a path without a leading slash", "api/health"],
    ["an empty [param] segment", "/api/v1/company//users"],
    ["a doubled slash", "/api//health"],
    ["the tRPC door", "/api/trpc/account.me"],
    ["next-auth", "/api/auth/session"],
  ])("should return null for %s", (_label, p) => {
    for (const method of REST_METHODS) expect(matchRestRoute(method, p), `${method} ${p}`).toBeNull();
  });

  it("should return null for a method the route does not define, including HEAD, OPTIONS and non-methods", () => {
    expect(matchRestRoute("GET", "/api/health")).not.toBeNull();
    for (const method of ["POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "get", "constructor", "toString", "__proto__", ""]) {
      expect(matchRestRoute(method, "/api/health"), method).toBeNull();
    }
    expect(matchRestRoute("GET", "/api/v1/auth")).toBeNull();
    expect(matchRestRoute("PATCH", "/api/v1/company/1/users/2/permissions")).toBeNull();
  });

  it("should return null for a malformed percent-encoding in a param", () => {
    expect(matchRestRoute("GET", "/api/v1/tenants/members/remove/%E0%A4%A")).toBeNull();
    expect(matchRestRoute("DELETE", "/api/v1/tenants/members/%")).toBeNull();
    expect(matchRestRoute("GET", "/api/v1/company/%zz/users")).toBeNull();
    expect(matchRestRoute("DELETE", "/api/v1/company/1/users/%C0%80")).toBeNull();
  });
});

describe("matchRestRoute precedence (static segments before [params], as in Next)", () => {
  /** Pairs of patterns that one concrete path could match: same length, and each segment equal or either a [param]. */
  const overlaps = REST_ROUTES.flatMap((a) =>
    REST_ROUTES.filter((b) => {
      if (a === b) return false;
      const sa = a.pattern.split("/");
      const sb = b.pattern.split("/");
      return sa.length === sb.length && sa.every((s, i) => s === sb[i] || s.startsWith("[") || sb[i]!.startsWith("["));
    }).map((b) => [a.pattern, b.pattern] as const),
  );

  it("should have overlapping patterns to order (so precedence matters here)", () => {
    expect(overlaps).toContainEqual(["/api/v1/company/[location_id]/users/roles", "/api/v1/company/[location_id]/users/[user_id]"]);
    expect(overlaps).toContainEqual(["/api/v1/tenants/members/active", "/api/v1/tenants/members/[email]"]);
  });

  it("should give each path to the more static route, and null for a method only the dynamic one defines", () => {
    for (const [a, b] of overlaps) {
      // `a` more static than `b` at the first segment where they differ.
      const i = a.split("/").findIndex((s, k) => s !== b.split("/")[k]);
      if (a.split("/")[i]!.startsWith("[")) continue;
      const concrete = fill(a, {});
      for (const method of REST_METHODS) {
        const own = byPattern.get(a)!.methods[method];
        expect(matchRestRoute(method, concrete)?.handler ?? null, `${method} ${concrete} (${a} over ${b})`).toBe(own ?? null);
      }
    }
  });

  it("should answer the known overlaps as Next does", () => {
    expect(matchRestRoute("GET", "/api/v1/company/1/users/roles")).toEqual({
      handler: handlerOf("/api/v1/company/[location_id]/users/roles", "GET"),
      params: { location_id: "1" },
    });
    // Next picks the route by path first: users/roles has no DELETE, so 405 from Next, never user "roles" removed.
    expect(matchRestRoute("DELETE", "/api/v1/company/1/users/roles")).toBeNull();
    expect(matchRestRoute("DELETE", "/api/v1/tenants/members/active")).toBeNull();
    expect(matchRestRoute("DELETE", "/api/v1/tenants/members/invite")).toBeNull();
    expect(matchRestRoute("DELETE", "/api/v1/tenants/members/carol%40x.test")?.handler).toBe(handlerOf("/api/v1/tenants/members/[email]", "DELETE"));
  });

  it("should fall back to the [param] when the static branch does not reach a route", () => {
    expect(matchRestRoute("GET", "/api/v1/company/1/users/roles/permissions")).toEqual({
      handler: handlerOf("/api/v1/company/[location_id]/users/[user_id]/permissions", "GET"),
      params: { location_id: "1", user_id: "roles" },
    });
  });

  it("should leave an escaped spelling of a static segment to Next", () => {
    expect(matchRestRoute("DELETE", "/api/v1/tenants/members/%61ctive")).toBeNull();
    expect(matchRestRoute("GET", "/api/v1/tenants/members/%61ctive")).toBeNull();
  });
});
