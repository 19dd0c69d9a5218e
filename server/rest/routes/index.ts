/**
 * The REST route table: every REST endpoint (everything under /api/v1, plus /api/health) with its handlers, so that
 * server/cli/serve.ts can dispatch them without Next's router. The files under app/api re-export the same handler
 * objects, one line each, so both doors run the same code; tests/unit/rest-routes.test.ts checks that the table and
 * the files agree. server/ never imports from app/.
 *
 * Contract of matchRestRoute, written to agree with Next's app router on these patterns:
 * - The path picks the route, then the method picks the handler. At each segment, left to right, a static segment
 *   is tried before a `[name]` one (Next's order), so `/company/1/users/roles` is the roles list, never user "roles".
 * - `[name]` takes one non-empty segment, decoded with decodeURIComponent, as Next hands params to route handlers.
 * - Anything the table does not answer returns null and the caller hands the request to Next, which then gives its
 *   own answer: an unknown path (404), a trailing slash (308), a method the route does not define, HEAD and OPTIONS
 *   included (405, or Next's automatic HEAD/OPTIONS), a malformed percent-encoding (400). That includes a method the
 *   matched route lacks even when a dynamic sibling has it: `DELETE /tenants/members/active` is Next's 405, not a
 *   removal of the member "active".
 * The patterns are compiled into a segment tree once, at module load; a match is one split and a walk down the tree.
 */
import type { RouteContext } from "../http.ts";
import { authPOST } from "./auth.ts";
import { legacyCompanyUsersGET } from "./company-users.ts";
import {
  companyRolesGET,
  companyUserCopyPOST,
  companyUserDELETE,
  companyUserPermissionsGET,
  companyUserPermissionsPUT,
  companyUserRemovePOST,
  companyUserRolesGET,
  companyUsersGET,
} from "./company.ts";
import { healthGET } from "./health.ts";
import { membersImportPOST } from "./tenants-import.ts";
import { membersInviteCancel, membersInviteClientPOST, membersInvitePOST, membersInviteResendPOST } from "./tenants-invitations.ts";
import { memberDELETE, membersActiveGET, membersPendingGET, membersRemove } from "./tenants-members.ts";
import { membersRequestAccept, membersRequestDeny, membersRequestPOST } from "./tenants-requests.ts";
import { userInvitePOST, userPermissionsGET } from "./user.ts";

export const REST_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type RestMethod = (typeof REST_METHODS)[number];

/** A route handler as Next calls it (server/rest/http.ts RouteContext), with the params as plain strings. */
export type Handler = (req: Request, ctx: RouteContext<Record<string, string>>) => Promise<Response>;
export type RestRoute = { readonly pattern: string; readonly methods: Readonly<Partial<Record<RestMethod, Handler>>> };
export type RestMatch = { handler: Handler; params: Record<string, string> };

/**
 * Each handler is typed with its own params (`{ location_id: string }`); the table forgets that. Sound because the
 * matcher hands a handler exactly the `[name]`s of its pattern, which the test checks against the app route files.
 */
const h = <P>(fn: (req: Request, ctx: RouteContext<P>) => Promise<Response>): Handler => fn as unknown as Handler;

const route = (pattern: string, methods: Partial<Record<RestMethod, Handler>>): RestRoute => Object.freeze({ pattern, methods: Object.freeze(methods) });

export const REST_ROUTES: readonly RestRoute[] = Object.freeze([
  route("/api/health", { GET: h(healthGET) }),

  // Seed 000.
  route("/api/v1/auth", { POST: h(authPOST) }),
  route("/api/v1/company/[location_id]/users", { GET: h(companyUsersGET) }),
  route("/api/v1/company/[location_id]/users/roles", { GET: h(companyRolesGET) }),
  route("/api/v1/company/[location_id]/users/[user_id]", { DELETE: h(companyUserDELETE) }),
  route("/api/v1/company/[location_id]/users/[user_id]/roles", { GET: h(companyUserRolesGET) }),
  route("/api/v1/company/[location_id]/users/[user_id]/permissions", { GET: h(companyUserPermissionsGET), PUT: h(companyUserPermissionsPUT) }),
  route("/api/v1/company/[location_id]/users/[user_id]/copy_to_companies", { POST: h(companyUserCopyPOST) }),
  route("/api/v1/company/[location_id]/users/[user_id]/remove_from_companies", { POST: h(companyUserRemovePOST) }),
  route("/api/v1/company_users/[location_id]", { GET: h(legacyCompanyUsersGET) }),
  route("/api/v1/user/permissions/[location_id]", { GET: h(userPermissionsGET) }),
  route("/api/v1/user/invite/[location_id]", { POST: h(userInvitePOST) }),

  // Seed 003 (and Roster's additions in its dialect). The GET + POST pairs are one handler: see their doc comments.
  route("/api/v1/tenants/members/active", { GET: h(membersActiveGET) }),
  route("/api/v1/tenants/members/pending", { GET: h(membersPendingGET) }),
  route("/api/v1/tenants/members/import", { POST: h(membersImportPOST) }),
  route("/api/v1/tenants/members/[email]", { DELETE: h(memberDELETE) }),
  route("/api/v1/tenants/members/remove/[email]", { GET: h(membersRemove), POST: h(membersRemove) }),
  route("/api/v1/tenants/members/invite", { POST: h(membersInvitePOST) }),
  route("/api/v1/tenants/members/invite/client", { POST: h(membersInviteClientPOST) }),
  route("/api/v1/tenants/members/invite/resend", { POST: h(membersInviteResendPOST) }),
  route("/api/v1/tenants/members/invite/cancel/[email]", { GET: h(membersInviteCancel), POST: h(membersInviteCancel) }),
  route("/api/v1/tenants/members/request", { POST: h(membersRequestPOST) }),
  route("/api/v1/tenants/members/request/accept/[email]", { GET: h(membersRequestAccept), POST: h(membersRequestAccept) }),
  route("/api/v1/tenants/members/request/deny/[email]", { GET: h(membersRequestDeny), POST: h(membersRequestDeny) }),
]);

// ---------------------------------------------------------------------------------------------------------------
// The compiled form: a tree of path segments. A node has static children by exact segment text and at most one
// `[name]` child (Next refuses two different slug names at one position, and so does compile()).

type Compiled = { pattern: string; names: readonly string[]; methods: ReadonlyMap<string, Handler> };
type Node = { statics: Map<string, Node>; param: Node | null; paramName: string | null; route: Compiled | null };

const newNode = (): Node => ({ statics: new Map(), param: null, paramName: null, route: null });

function compile(routes: readonly RestRoute[]): Node {
  const root = newNode();
  for (const r of routes) {
    if (!r.pattern.startsWith("/")) throw new Error(`REST_ROUTES: ${r.pattern} does not start with /`);
    let node = root;
    const names: string[] = [];
    for (const seg of r.pattern.slice(1).split("/")) {
      const dynamic = /^\[([A-Za-z_][A-Za-z0-9_]*)\]$/.exec(seg);
      if (dynamic) {
        const name = dynamic[1]!;
        if (names.includes(name)) throw new Error(`REST_ROUTES: ${r.pattern} uses [${name}] twice`);
        if (node.paramName !== null && node.paramName !== name) {
          throw new Error(`REST_ROUTES: ${r.pattern} names [${name}] where another route has [${node.paramName}]`);
        }
        names.push(name);
        node.paramName = name;
        node = node.param ??= newNode();
      } else {
        // Catch-alls, optional segments, empty segments and encoded text are not part of this table's language.
        if (seg === "" || /[[\]%]/.test(seg)) throw new Error(`REST_ROUTES: ${r.pattern} has an unsupported segment "${seg}"`);
        let next = node.statics.get(seg);
        if (!next) node.statics.set(seg, (next = newNode()));
        node = next;
      }
    }
    if (node.route) throw new Error(`REST_ROUTES: ${r.pattern} and ${node.route.pattern} are the same route`);
    const methods = new Map<string, Handler>();
    for (const [method, handler] of Object.entries(r.methods)) {
      if (!(REST_METHODS as readonly string[]).includes(method) || typeof handler !== "function") {
        throw new Error(`REST_ROUTES: ${r.pattern} has an invalid method entry ${method}`);
      }
      methods.set(method, handler);
    }
    node.route = { pattern: r.pattern, names, methods };
  }
  return root;
}

const ROOT = compile(REST_ROUTES);

/** Returned by walk when Next, not this table, must decide (see the `%` case below). */
const DEFER = false;

function decodeOrNull(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/**
 * The first route, in Next's order, whose pattern fits `segs` from `i` on; the raw `[name]` values are pushed onto
 * `values`. Backtracks: `/company/1/users/roles/permissions` fails under the static `roles` and then fits
 * `[user_id]` = "roles".
 */
function walk(node: Node, segs: readonly string[], i: number, values: string[]): Compiled | null | typeof DEFER {
  if (i === segs.length) return node.route;
  const seg = segs[i]!;
  const child = node.statics.get(seg);
  if (child) {
    const found = walk(child, segs, i + 1, values);
    if (found !== null) return found;
  }
  if (node.param && seg !== "") {
    // An escaped spelling of a static sibling (`%61ctive`): whether that is "active" or a param is Next's business.
    if (node.statics.size > 0 && seg.includes("%")) {
      const decoded = decodeOrNull(seg);
      if (decoded !== null && node.statics.has(decoded)) return DEFER;
    }
    values.push(seg);
    const found = walk(node.param, segs, i + 1, values);
    if (found !== null) return found;
    values.pop();
  }
  return null;
}

/**
 * The handler and decoded params for a request, or null when Next should answer it (see the contract above).
 * `pathname` is the URL's path without query, as `new URL(req.url).pathname` gives it.
 */
export function matchRestRoute(method: string, pathname: string): RestMatch | null {
  if (pathname.charCodeAt(0) !== 47 /* "/" */) return null;
  const values: string[] = [];
  const found = walk(ROOT, pathname.split("/"), 1, values);
  if (!found) return null;
  // A Map, not the methods object: "constructor" or "toString" must not find Object.prototype.
  const handler = found.methods.get(method);
  if (!handler) return null;
  const params: Record<string, string> = {};
  for (let k = 0; k < values.length; k++) {
    const v = decodeOrNull(values[k]!);
    if (v === null) return null;
    params[found.names[k]!] = v;
  }
  return { handler, params };
}

/**
 * The methods the route at `pathname` defines, whatever the request's method, or null when no route has that path
 * (a trailing slash or a param that does not decode included). For the 405's `Allow` and the 404 of restFallback.
 */
export function routeMethodsAt(pathname: string): RestMethod[] | null {
  if (pathname.charCodeAt(0) !== 47 /* "/" */) return null;
  const values: string[] = [];
  const found = walk(ROOT, pathname.split("/"), 1, values);
  if (!found || values.some((v) => decodeOrNull(v) === null)) return null;
  return REST_METHODS.filter((m) => found.methods.has(m));
}
