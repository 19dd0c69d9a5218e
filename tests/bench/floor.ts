/**
 * The floor: the bench's operations as hand-written SQL behind a minimal node:http server, on the same database
 * (PostgreSQL through `pg`), or on its own PGlite over a copy of the seeded data directory (PGlite is one process
 * per directory). Fewest round trips: every request is ONE statement (CTEs, data-modifying CTEs, `count(*) OVER ()`)
 * except sign-in, which must read the hash, verify it in JS (the app's argon2id), then write the session (2).
 *
 * The same work as the app, folded in: every authenticated request checks the session by token hash and touches
 * `lastSeenAt` (REST: both tokens by hash, `lastUsedAt` at most once a minute), counts a rate-limit hit, resolves the
 * acting membership and its roles; every mutation writes an audit row and a job row (with a far `runAt`, so the
 * app's worker on a shared PostgreSQL never picks the floor's jobs up). Statements are counted like the app's
 * (./preload.ts, the driver-level counter) and answered over IPC.
 *
 * Usage: node --import tsx tests/bench/floor.ts --port P   (env FLOOR_DATABASE_URL or FLOOR_PGLITE_DIR)
 */
import "./preload.ts";
import crypto from "node:crypto";
import http from "node:http";
import { verify } from "@node-rs/argon2";
import pg from "pg";
import { createPglite } from "../../server/db/pglite.ts";

type Query = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

const hash = (raw: string) => crypto.createHash("sha256").update(raw, "utf8").digest("hex");
const ADMIN_ROLES = ["owner", "administrator"];
const JOB_LATER = "now() + interval '100 years'";

/**
 * The acting member from a session cookie ($1 = session token hash, $2 = tenant slug): session touched, a rate-limit
 * hit counted (like TRPC_USER), the membership with its role slugs. `ok` holds it only when it may administer.
 */
const SESSION_ACTOR = `
  s AS (UPDATE "AuthSession" SET "lastSeenAt" = now() WHERE "tokenHash" = $1 AND "revokedAt" IS NULL AND "expiresAt" > now() RETURNING "userId"),
  rl AS (INSERT INTO "RateLimit" (key, points, "resetAt") SELECT 'floor:user:' || s."userId", 1, now() + interval '1 minute' FROM s
         ON CONFLICT (key) DO UPDATE SET points = CASE WHEN "RateLimit"."resetAt" <= now() THEN 1 ELSE "RateLimit".points + 1 END,
           "resetAt" = CASE WHEN "RateLimit"."resetAt" <= now() THEN EXCLUDED."resetAt" ELSE "RateLimit"."resetAt" END RETURNING points),
  t AS (SELECT id, slug, name FROM "Tenant" WHERE slug = $2 AND status = 'ACTIVE'),
  me AS (SELECT m.id, m."userId", m."tenantId", m."hasFullAccess",
           ARRAY(SELECT r.slug FROM "MembershipRole" mr JOIN "Role" r ON r."tenantId" = mr."tenantId" AND r.id = mr."roleId"
                  WHERE mr."tenantId" = m."tenantId" AND mr."membershipId" = m.id) AS roles
         FROM "Membership" m JOIN s ON s."userId" = m."userId" JOIN t ON t.id = m."tenantId" WHERE m.status = 'ACTIVE'),
  ok AS (SELECT * FROM me WHERE "hasFullAccess" OR roles && ARRAY['${ADMIN_ROLES.join("','")}'])`;

/** The acting member from `Bearer <partner>, User <user>` ($1, $2 = token hashes); the tenant is the tokens'. */
const TOKEN_ACTOR = `
  p AS (SELECT id, "tenantId", "lastUsedAt" FROM "ApiToken" WHERE "tokenHash" = $1 AND kind = 'PARTNER' AND "revokedAt" IS NULL AND ("expiresAt" IS NULL OR "expiresAt" > now())),
  ut AS (SELECT u.id, u."tenantId", u."userId", u."lastUsedAt" FROM "ApiToken" u JOIN p ON p."tenantId" = u."tenantId"
         WHERE u."tokenHash" = $2 AND u.kind <> 'PARTNER' AND u."revokedAt" IS NULL AND (u."expiresAt" IS NULL OR u."expiresAt" > now())),
  touch AS (UPDATE "ApiToken" SET "lastUsedAt" = now() WHERE ("tenantId", id) IN (SELECT "tenantId", id FROM p UNION ALL SELECT "tenantId", id FROM ut) AND ("lastUsedAt" IS NULL OR "lastUsedAt" < now() - interval '1 minute') RETURNING id),
  rl AS (INSERT INTO "RateLimit" (key, points, "resetAt") SELECT 'floor:token:' || p.id, 1, now() + interval '1 minute' FROM p
         ON CONFLICT (key) DO UPDATE SET points = CASE WHEN "RateLimit"."resetAt" <= now() THEN 1 ELSE "RateLimit".points + 1 END,
           "resetAt" = CASE WHEN "RateLimit"."resetAt" <= now() THEN EXCLUDED."resetAt" ELSE "RateLimit"."resetAt" END RETURNING points),
  t AS (SELECT tt.id, tt.slug, tt.name FROM "Tenant" tt JOIN ut ON ut."tenantId" = tt.id WHERE tt.status = 'ACTIVE'),
  me AS (SELECT m.id, m."userId", m."tenantId", m."hasFullAccess",
           ARRAY(SELECT r.slug FROM "MembershipRole" mr JOIN "Role" r ON r."tenantId" = mr."tenantId" AND r.id = mr."roleId"
                  WHERE mr."tenantId" = m."tenantId" AND mr."membershipId" = m.id) AS roles
         FROM "Membership" m JOIN ut ON ut."userId" = m."userId" JOIN t ON t.id = m."tenantId" WHERE m.status = 'ACTIVE'),
  ok AS (SELECT * FROM me WHERE "hasFullAccess" OR roles && ARRAY['${ADMIN_ROLES.join("','")}'])`;

const audit = (action: string, target: string, targetId: string, after: string) => `
  a AS (INSERT INTO "AuditEvent" ("tenantId", "actorType", "actorUserId", action, "targetType", "targetId", after)
        SELECT ok."tenantId", 'USER', ok."userId", '${action}', '${target}', ${targetId}, ${after} FROM ok, w),
  j AS (INSERT INTO "Job" (type, payload, "runAt") SELECT 'floor.${action}', json_build_object('target', ${targetId}), ${JOB_LATER} FROM ok, w)`;

const PAGE_ROWS = `
  SELECT (SELECT count(*) FROM ok) AS ok,
    (SELECT coalesce(json_agg(json_build_object('id', pg.id, 'userId', pg."userId", 'email', pg.email, 'firstName', pg."firstName", 'lastName', pg."lastName",
        'displayName', pg."displayName", 'status', pg.status, 'kind', pg.kind, 'hasFullAccess', pg."hasFullAccess", 'createdAt', pg."createdAt",
        'roles', ARRAY(SELECT r.slug FROM "MembershipRole" mr JOIN "Role" r ON r."tenantId" = mr."tenantId" AND r.id = mr."roleId"
                       WHERE mr."tenantId" = (SELECT "tenantId" FROM ok) AND mr."membershipId" = pg.id)) ORDER BY pg."createdAt" DESC, pg.id DESC), '[]'::json) FROM pg) AS items,
    coalesce((SELECT max(total) FROM pg), 0) AS total`;

const SQL = {
  // The page from the (tenantId, createdAt, id) index, joined to User for its 50 rows only; the total an index count.
  members: (actor: string) => `WITH ${actor},
    ids AS (SELECT m.id, m."userId", m.status, m.kind, m."hasFullAccess", m."createdAt" FROM "Membership" m WHERE m."tenantId" = (SELECT "tenantId" FROM ok)
            ORDER BY m."createdAt" DESC, m.id DESC LIMIT $3 OFFSET $4),
    pg AS (SELECT ids.*, u.email, u."firstName", u."lastName", u."displayName",
             (SELECT count(*) FROM "Membership" c WHERE c."tenantId" = (SELECT "tenantId" FROM ok)) AS total
           FROM ids JOIN "User" u ON u.id = ids."userId")
    ${PAGE_ROWS}`,
  // Matches from the trigram index, counted once; the page is the newest 50 of them. The strpos() repeat is Roster's
  // trick too (list-members.ts): it keeps the planner on the index instead of a sequential scan.
  search: (actor: string) => `WITH ${actor},
    hits AS MATERIALIZED (SELECT m.id, m."userId", m.status, m.kind, m."hasFullAccess", m."createdAt"
           FROM "Membership" m WHERE m."tenantId" = (SELECT "tenantId" FROM ok) AND m."searchText" LIKE $5 ESCAPE '\\'
             AND strpos(m."searchText", $6) > 0),
    pg AS (SELECT top.*, u.email, u."firstName", u."lastName", u."displayName", (SELECT count(*) FROM hits) AS total
           FROM (SELECT * FROM hits ORDER BY hits."createdAt" DESC, hits.id DESC LIMIT $3 OFFSET $4) top JOIN "User" u ON u.id = top."userId")
    ${PAGE_ROWS}`,
  current: (actor: string) => `WITH ${actor}
    SELECT (SELECT count(*) FROM me) AS ok, (SELECT json_build_object('id', t.id, 'slug', t.slug, 'name', t.name, 'roles', me.roles, 'hasFullAccess', me."hasFullAccess")
      FROM t, me) AS data`,
  invite: (actor: string) => `WITH ${actor},
    w AS (INSERT INTO "Invitation" ("tenantId", kind, email, "userId", status, "pendingKey", "tokenHash", roles, "invitedById", "expiresAt", "updatedAt")
          SELECT ok."tenantId", 'MEMBER', $3, (SELECT id FROM "User" WHERE email = $3), 'PENDING', $3, $4, ARRAY['worker'], ok."userId", now() + interval '7 days', now()
          FROM ok WHERE NOT EXISTS (SELECT 1 FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE m."tenantId" = ok."tenantId" AND u.email = $3)
          ON CONFLICT ("tenantId", "pendingKey") DO NOTHING
          RETURNING id, email, status, "expiresAt"),
    ${audit("invitation.created", "invitation", "w.id::text", "json_build_object('email', w.email)")}
    SELECT (SELECT count(*) FROM ok) AS ok, (SELECT row_to_json(w) FROM w) AS data`,
  // $1 session hash, $2 invitation id: the invitee's own session, verified email matching, pending and unexpired. Found
  // through the invitee's (userId, status) index: the id alone has none (the primary key is (tenantId, id)).
  accept: `WITH
    s AS (UPDATE "AuthSession" SET "lastSeenAt" = now() WHERE "tokenHash" = $1 AND "revokedAt" IS NULL AND "expiresAt" > now() RETURNING "userId"),
    rl AS (INSERT INTO "RateLimit" (key, points, "resetAt") SELECT 'floor:user:' || s."userId", 1, now() + interval '1 minute' FROM s
           ON CONFLICT (key) DO UPDATE SET points = "RateLimit".points + 1 RETURNING points),
    acc AS (UPDATE "Invitation" i SET status = 'ACCEPTED', "pendingKey" = NULL, "acceptedAt" = now(), "updatedAt" = now()
            FROM s JOIN "User" u ON u.id = s."userId"
            WHERE i."userId" = u.id AND i.id = $2 AND i.status = 'PENDING' AND i."expiresAt" > now() AND u."emailVerifiedAt" IS NOT NULL AND i.email = u.email
            RETURNING i.id, i."tenantId", u.id AS "userId", i.roles),
    mem AS (INSERT INTO "Membership" ("tenantId", "userId", status, "updatedAt") SELECT "tenantId", "userId", 'ACTIVE', now() FROM acc RETURNING id, "tenantId", "userId"),
    mr AS (INSERT INTO "MembershipRole" ("membershipId", "roleId", "tenantId")
           SELECT mem.id, r.id, mem."tenantId" FROM mem JOIN acc ON true JOIN "Role" r ON r."tenantId" = acc."tenantId" AND r.slug = ANY(acc.roles)),
    a AS (INSERT INTO "AuditEvent" ("tenantId", "actorType", "actorUserId", action, "targetType", "targetId")
          SELECT mem."tenantId", 'USER', mem."userId", 'invitation.accepted', 'membership', mem.id::text FROM mem),
    j AS (INSERT INTO "Job" (type, payload, "runAt") SELECT 'floor.invitation.accepted', json_build_object('membershipId', mem.id), ${JOB_LATER} FROM mem)
    SELECT (SELECT count(*) FROM s) AS ok, (SELECT json_build_object('membershipId', mem.id) FROM mem) AS data`,
  // $3 membership id, $4 role slugs, $5 hasFullAccess.
  setRoles: (actor: string) => `WITH ${actor},
    target AS (SELECT m.id, m."tenantId" FROM "Membership" m JOIN ok ON ok."tenantId" = m."tenantId" WHERE m.id = $3 AND m.id <> ok.id),
    want AS (SELECT r.id FROM "Role" r JOIN target ON r."tenantId" = target."tenantId" WHERE r.slug = ANY($4::text[]) AND r.slug <> 'owner'),
    del AS (DELETE FROM "MembershipRole" WHERE ("tenantId", "membershipId") IN (SELECT "tenantId", id FROM target) AND "roleId" NOT IN (SELECT id FROM want) RETURNING "roleId"),
    ins AS (INSERT INTO "MembershipRole" ("membershipId", "roleId", "tenantId") SELECT target.id, want.id, target."tenantId" FROM target, want
            ON CONFLICT DO NOTHING RETURNING "roleId"),
    w AS (UPDATE "Membership" SET "hasFullAccess" = $5, "updatedAt" = now() WHERE ("tenantId", id) IN (SELECT "tenantId", id FROM target) RETURNING id, "hasFullAccess"),
    ${audit("member.roles_changed", "membership", "w.id::text", "json_build_object('roles', $4::text[])")}
    SELECT (SELECT count(*) FROM ok) AS ok, (SELECT json_build_object('id', w.id, 'roles', $4::text[], 'hasFullAccess', w."hasFullAccess") FROM w) AS data`,
  // $3 membership id (REST twin: $3 is an email and the join goes through User).
  remove: (actor: string, byEmail = false) => `WITH ${actor},
    w AS (DELETE FROM "Membership" m USING ok WHERE m."tenantId" = ok."tenantId" AND m.id <> ok.id AND NOT m."hasFullAccess"
          AND ${byEmail ? `m."userId" = (SELECT id FROM "User" WHERE email = $3)` : "m.id = $3"} RETURNING m.id, m."userId"),
    ${audit("member.removed", "membership", "w.id::text", "json_build_object('userId', w.\"userId\")")}
    SELECT (SELECT count(*) FROM ok) AS ok, (SELECT row_to_json(w) FROM w) AS data`,
  // $3 source unit, $4 user id, $5 target unit ids.
  copy: (actor: string) => `WITH ${actor},
    src AS (SELECT ua."membershipId", ua."roleId", ua.overrides, ua."tenantId" FROM "UnitAccess" ua JOIN ok ON ok."tenantId" = ua."tenantId"
            JOIN "Membership" m ON m."tenantId" = ua."tenantId" AND m.id = ua."membershipId" AND m."userId" = $4 WHERE ua."unitId" = $3 AND ua.status = 'ACTIVE'),
    tg AS (SELECT u.id FROM "Unit" u JOIN ok ON ok."tenantId" = u."tenantId" WHERE u.id = ANY($5::int[]) AND u."archivedAt" IS NULL),
    ins AS (INSERT INTO "UnitAccess" ("tenantId", "membershipId", "unitId", "roleId", status, overrides, "acceptedAt", "updatedAt")
            SELECT src."tenantId", src."membershipId", tg.id, src."roleId", 'ACTIVE', src.overrides, now(), now() FROM src, tg
            ON CONFLICT ("tenantId", "membershipId", "unitId") DO UPDATE SET "roleId" = EXCLUDED."roleId", overrides = EXCLUDED.overrides, "updatedAt" = now()
            RETURNING "unitId"),
    w AS (SELECT count(*) AS n FROM ins),
    ${audit("access.copied", "user", "$4::text", "json_build_object('units', w.n)")}
    SELECT (SELECT count(*) FROM ok) AS ok, (SELECT n FROM w) AS data`,
  uncopy: (actor: string) => `WITH ${actor},
    del AS (DELETE FROM "UnitAccess" ua USING ok, "Membership" m WHERE ua."tenantId" = ok."tenantId" AND m."tenantId" = ua."tenantId" AND m.id = ua."membershipId" AND m."userId" = $4
            AND ua."unitId" = ANY($5::int[]) AND ua."unitId" <> $3 RETURNING ua."unitId"),
    w AS (SELECT count(*) AS n FROM del),
    ${audit("access.removed", "user", "$4::text", "json_build_object('units', w.n)")}
    SELECT (SELECT count(*) FROM ok) AS ok, (SELECT n FROM w) AS data`,
  // GET /company/{id}/users: every member with access at the location, serialised by the database.
  companyUsers: `WITH ${TOKEN_ACTOR},
    rows AS (SELECT u.id, coalesce(u."displayName", trim(coalesce(u."firstName", '') || ' ' || coalesce(u."lastName", ''))) AS name, u.phone, u.email,
               ua.information, ua.status = 'ACTIVE' AS is_approved, m."hasFullAccess" AS is_non_deletable
             FROM "UnitAccess" ua JOIN ok ON ok."tenantId" = ua."tenantId" JOIN "Membership" m ON m."tenantId" = ua."tenantId" AND m.id = ua."membershipId"
             JOIN "User" u ON u.id = m."userId"
             WHERE ua."unitId" = $3)
    SELECT (SELECT count(*) FROM ok) AS ok, json_build_object('success', true, 'data', coalesce((SELECT json_agg(rows ORDER BY rows.id) FROM rows), '[]'::json),
      'meta', json_build_object('count', (SELECT count(*) FROM rows)))::text AS data`,
  activeMembers: `WITH ${TOKEN_ACTOR},
    rr AS (SELECT mr."membershipId", array_agg(r.slug) AS roles FROM "MembershipRole" mr JOIN "Role" r ON r."tenantId" = mr."tenantId" AND r.id = mr."roleId"
           WHERE mr."tenantId" = (SELECT "tenantId" FROM ok) GROUP BY mr."membershipId"),
    rows AS (SELECT u.id, m."tenantId", u.email, u."firstName", u."lastName", u.language, u."lastLoginAt" AS "lastLogin", u."emailVerifiedAt" IS NOT NULL AS verified,
               m.status, m."hasFullAccess", coalesce(rr.roles, '{}') AS roles, json_build_object('displayName', u."displayName", 'avatar', u.avatar) AS profile
             FROM "Membership" m JOIN ok ON ok."tenantId" = m."tenantId" JOIN "User" u ON u.id = m."userId" LEFT JOIN rr ON rr."membershipId" = m.id
             WHERE m.status = 'ACTIVE' AND u."emailVerifiedAt" IS NOT NULL)
    SELECT (SELECT count(*) FROM ok) AS ok, coalesce((SELECT json_agg(rows) FROM rows), '[]'::json)::text AS data`,
};

async function openQuery(): Promise<{ q: Query; close(): Promise<void>; describe: string }> {
  if (process.env.FLOOR_DATABASE_URL) {
    const pool = new pg.Pool({ connectionString: process.env.FLOOR_DATABASE_URL, max: 16 });
    return { q: async (text, params) => (await pool.query(text, params)).rows, close: () => pool.end(), describe: "pg" };
  }
  const dir = process.env.FLOOR_PGLITE_DIR;
  if (!dir) throw new Error("floor: set FLOOR_DATABASE_URL or FLOOR_PGLITE_DIR");
  const db = await createPglite(dir);
  return { q: async (text, params) => (await db.query<Record<string, unknown>>(text, params)).rows, close: () => db.close(), describe: "pglite" };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const cookie = (req: http.IncomingMessage, name: string) =>
  (req.headers.cookie ?? "").split(/;\s*/).find((c) => c.startsWith(`${name}=`))?.slice(name.length + 1) ?? "";
const PAIR = /^Bearer\s+(\S+)\s*,\s*User\s+(\S+)$/i;
const likeContains = (s: string) => `%${s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

async function main() {
  const port = Number(process.argv[process.argv.indexOf("--port") + 1]);
  const { q, close } = await openQuery();

  const send = (res: http.ServerResponse, status: number, body: string) => {
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  };
  /** One statement; 401 when nobody may act, else the `data` column (already JSON text for the REST lists). */
  const one = async (res: http.ServerResponse, text: string, params: unknown[], raw = false) => {
    const [row] = await q(text, params);
    if (!row || Number(row.ok) === 0) return send(res, 401, JSON.stringify({ error: "unauthorized" }));
    if (row.items === undefined && (row.data === null || row.data === undefined)) return send(res, 404, JSON.stringify({ error: "not found" }));
    send(res, 200, raw ? String(row.data) : JSON.stringify(row.items !== undefined ? { items: row.items, total: Number(row.total) } : row.data));
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://floor");
      const body = req.method === "POST" ? (JSON.parse((await readBody(req)) || "{}") as Record<string, unknown>) : {};
      const session = hash(cookie(req, "floor_session"));
      const pair = PAIR.exec(req.headers.authorization ?? "");
      const tokens = pair ? [hash(pair[1]!), hash(pair[2]!)] : ["", ""];
      const p = url.pathname;
      if (p === "/health") return send(res, 200, "{}");
      if (p === "/signin" && req.method === "POST") {
        const [user] = await q(`SELECT id, "passwordHash" FROM "User" WHERE email = $1 AND "disabledAt" IS NULL`, [String(body.email).trim().toLowerCase()]);
        const good = !!user?.passwordHash && (await verify(String(user.passwordHash), String(body.password)).catch(() => false));
        if (!good) return send(res, 401, JSON.stringify({ error: "wrong email or password" }));
        const raw = crypto.randomBytes(32).toString("base64url");
        await q(`WITH s AS (INSERT INTO "AuthSession" ("userId", "tokenHash", ip, "userAgent", "expiresAt") VALUES ($1, $2, $3, $4, now() + interval '12 hours') RETURNING "userId")
                 UPDATE "User" SET "lastLoginAt" = now() WHERE id = (SELECT "userId" FROM s)`, [user!.id, hash(raw), req.socket.remoteAddress ?? null, req.headers["user-agent"] ?? null]);
        res.setHeader("set-cookie", `floor_session=${raw}; HttpOnly; Path=/; SameSite=Lax`);
        return send(res, 200, JSON.stringify({ ok: true }));
      }
      const tenant = url.searchParams.get("tenant") ?? String(body.tenant ?? "");
      const pageSize = Number(url.searchParams.get("pageSize") ?? 50);
      const offset = (Number(url.searchParams.get("page") ?? 1) - 1) * pageSize;
      switch (`${req.method} ${p}`) {
        case "GET /members": {
          const search = url.searchParams.get("search");
          return search
            ? one(res, SQL.search(SESSION_ACTOR), [session, tenant, pageSize, offset, likeContains(search), search.toLowerCase()])
            : one(res, SQL.members(SESSION_ACTOR), [session, tenant, pageSize, offset]);
        }
        case "GET /current":
          return one(res, SQL.current(SESSION_ACTOR), [session, tenant]);
        case "POST /invite":
          return one(res, SQL.invite(SESSION_ACTOR), [session, tenant, String(body.email).toLowerCase(), hash(crypto.randomBytes(32).toString("base64url"))]);
        case "POST /accept":
          return one(res, SQL.accept, [session, Number(body.id)]);
        case "POST /setRoles":
          return one(res, SQL.setRoles(SESSION_ACTOR), [session, tenant, Number(body.id), body.roles, Boolean(body.hasFullAccess)]);
        case "POST /remove":
          return one(res, SQL.remove(SESSION_ACTOR), [session, tenant, Number(body.id)]);
        case "POST /copy":
          return one(res, SQL.copy(SESSION_ACTOR), [session, tenant, Number(body.unitId), Number(body.userId), body.units]);
        case "POST /uncopy":
          return one(res, SQL.uncopy(SESSION_ACTOR), [session, tenant, Number(body.unitId), Number(body.userId), body.units]);
      }
      // REST twins: the tenant comes from the tokens ($2 is the user token hash, no slug).
      const m = /^\/rest\/company\/(\d+)\/users(?:\/(\d+)\/(copy_to_companies|remove_from_companies))?$/.exec(p);
      if (m && req.method === "GET" && !m[2]) return one(res, SQL.companyUsers, [tokens[0], tokens[1], Number(m[1])], true);
      if (m && req.method === "POST" && m[3] === "copy_to_companies") {
        return one(res, SQL.copy(TOKEN_ACTOR), [tokens[0], tokens[1], Number(m[1]), Number(m[2]), body.units]);
      }
      if (m && req.method === "POST" && m[3] === "remove_from_companies") {
        return one(res, SQL.uncopy(TOKEN_ACTOR), [tokens[0], tokens[1], Number(m[1]), Number(m[2]), body.units]);
      }
      if (p === "/rest/members/active" && req.method === "GET") return one(res, SQL.activeMembers, [tokens[0], tokens[1]], true);
      if (p === "/rest/members/invite" && req.method === "POST") {
        return one(res, SQL.invite(TOKEN_ACTOR), [tokens[0], tokens[1], String(body.email).toLowerCase(), hash(crypto.randomBytes(32).toString("base64url"))]);
      }
      const rm = /^\/rest\/members\/remove\/(.+)$/.exec(p);
      if (rm) return one(res, SQL.remove(TOKEN_ACTOR, true), [tokens[0], tokens[1], decodeURIComponent(rm[1]!).toLowerCase()]);
      send(res, 404, JSON.stringify({ error: `no route ${req.method} ${p}` }));
    })().catch((e: unknown) => {
      console.error("[floor]", e);
      if (!res.headersSent) send(res, 500, JSON.stringify({ error: String((e as Error)?.message ?? e) }));
      else res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  console.log(`floor listening on ${port}`);
  const stop = () => server.close(() => void close().finally(() => process.exit(0)));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

await main();
