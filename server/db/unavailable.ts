/**
 * "The database is not there right now" as opposed to "this query is wrong": connections refused, killed
 * (pg_terminate_backend, a restart, a failover), timed out, or a pool with no free connection. Both API doors and
 * /api/health answer those with 503 and Retry-After, so clients back off and retry, and the app recovers by itself
 * (pg.Pool drops dead clients and opens new ones on the next query). Anything else stays a 500: a bug.
 *
 * The shapes come from three layers, all walked through `cause`: pg and Node (`ECONNREFUSED`, "Connection terminated
 * unexpectedly", SQLSTATE 57P01 admin_shutdown, class 08 connection exceptions), @prisma/adapter-pg's
 * DriverAdapterError (`cause.kind` DatabaseNotReachable, ConnectionClosed, SocketTimeout, TooManyConnections) and
 * Prisma's own codes (P1001 can't reach, P1002 timed out, P1017 server closed the connection, P2024 pool timeout,
 * P2028 "Unable to start a transaction in the given time").
 */
import { AppError, AppErrorCode } from "../errors.ts";

/** Seconds a client should wait before retrying; killed connections come back within a moment. */
export const UNAVAILABLE_RETRY_AFTER = 5;

const NODE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
// 57P01 admin_shutdown (pg_terminate_backend), 57P02 crash_shutdown, 57P03 cannot_connect_now, 53300 too many connections.
const SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);
const MESSAGES = [
  /connection terminated/i,
  /terminating connection due to administrator command/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error and is not queryable/i,
  /connection (is )?closed/i,
  /server closed the connection unexpectedly/i,
  /unable to start a transaction in the given time/i,
  /can't reach database server/i,
  /cannot use a pool after calling end/i,
  // A database closed for maintenance (ALTER DATABASE ... ALLOW_CONNECTIONS false) or a server starting or stopping.
  /is not currently accepting connections/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

function matchesOne(e: Record<string, unknown>): boolean {
  const code = typeof e.code === "string" ? e.code : null;
  if (code && (NODE_CODES.has(code) || PRISMA_CODES.has(code) || SQLSTATES.has(code) || /^08/.test(code))) return true;
  if (code === "P2028" && typeof e.message === "string" && /unable to start a transaction/i.test(e.message)) return true;
  if (typeof e.kind === "string" && ADAPTER_KINDS.has(e.kind)) return true;
  if (e.kind === "postgres" && typeof e.code === "string" && (SQLSTATES.has(e.code) || /^08/.test(e.code))) return true;
  const message = typeof e.message === "string" ? e.message : null;
  return !!message && MESSAGES.some((m) => m.test(message));
}

/**
 * True when `e` says the database could not be reached or dropped the connection: `e` itself, its `cause` chain, or
 * the driver-adapter error Prisma keeps in `meta.driverAdapterError` (raw queries fail as P2010 with it inside).
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  const queue: unknown[] = [e];
  for (let seen = 0; queue.length && seen < 16; seen++) {
    const current = queue.shift();
    if (!current || typeof current !== "object") continue;
    if (current instanceof AppError) {
      if (current.code === AppErrorCode.UNAVAILABLE) return true;
      continue;
    }
    const obj = current as Record<string, unknown>;
    if (matchesOne(obj)) return true;
    queue.push(obj.cause, (obj.meta as Record<string, unknown> | undefined)?.driverAdapterError);
  }
  return false;
}

export const databaseUnavailable = (cause?: unknown) =>
  new AppError(AppErrorCode.UNAVAILABLE, {
    userMessage: `The database is unavailable. Try again in ${UNAVAILABLE_RETRY_AFTER} seconds.`,
    retryAfter: UNAVAILABLE_RETRY_AFTER,
    cause,
  });
