/**
 * Transport-agnostic errors. Services throw AppError; this one table maps each code to a tRPC code, an HTTP
 * status, the seed 000 message and the seed 003 title, so the two API doors and the admin app never disagree.
 */
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";

export const AppErrorCode = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  METHOD_NOT_ALLOWED: "METHOD_NOT_ALLOWED",
  CONFLICT: "CONFLICT",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNPROCESSABLE: "UNPROCESSABLE",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  UNAVAILABLE: "UNAVAILABLE",
  INTERNAL: "INTERNAL",
} as const;
export type AppErrorCode = (typeof AppErrorCode)[keyof typeof AppErrorCode];

type Mapping = { trpc: TRPC_ERROR_CODE_KEY; status: number; message: string; title: string };

export const ERROR_TABLE: Record<AppErrorCode, Mapping> = {
  BAD_REQUEST: { trpc: "BAD_REQUEST", status: 400, message: "Bad request.", title: "Bad Request" },
  UNAUTHORIZED: { trpc: "UNAUTHORIZED", status: 401, message: "Authentication needed.", title: "Unauthorized" },
  FORBIDDEN: { trpc: "FORBIDDEN", status: 403, message: "Access denied.", title: "Forbidden" },
  NOT_FOUND: { trpc: "NOT_FOUND", status: 404, message: "Not found.", title: "Not Found" },
  METHOD_NOT_ALLOWED: { trpc: "METHOD_NOT_SUPPORTED", status: 405, message: "Method not allowed.", title: "Method Not Allowed" },
  CONFLICT: { trpc: "CONFLICT", status: 409, message: "Conflict.", title: "Conflict" },
  PAYLOAD_TOO_LARGE: { trpc: "PAYLOAD_TOO_LARGE", status: 413, message: "Request body too large.", title: "Payload Too Large" },
  UNPROCESSABLE: { trpc: "UNPROCESSABLE_CONTENT", status: 422, message: "Validation failed.", title: "Unprocessable Entity" },
  TOO_MANY_REQUESTS: { trpc: "TOO_MANY_REQUESTS", status: 429, message: "Too many requests.", title: "Too Many Requests" },
  UNAVAILABLE: { trpc: "INTERNAL_SERVER_ERROR", status: 503, message: "Service unavailable.", title: "Service Unavailable" },
  INTERNAL: { trpc: "INTERNAL_SERVER_ERROR", status: 500, message: "Internal error.", title: "Internal Server Error" },
};

export type FieldIssue = { path: string; message: string };

export class AppError extends Error {
  override name = "AppError";
  readonly code: AppErrorCode;
  /** Safe to show to the caller; defaults to the table's message. */
  readonly userMessage: string;
  readonly issues: FieldIssue[] | undefined;
  /** Seconds, for TOO_MANY_REQUESTS. */
  readonly retryAfter: number | undefined;
  /**
   * A machine-readable refinement of the code that a page acts on (tRPC puts it in `error.data.reason`), e.g.
   * FORBIDDEN with `REAUTH_REQUIRED` (ask for the password again) or `TWO_FACTOR_REQUIRED` (send to enrolment).
   */
  readonly reason: string | undefined;
  /**
   * The input failed its schema (validationError): `issues` are zod's, so the admin app's door may reword the
   * message with the fields' labels, while a hand-written userMessage (a conflict naming the field) stays as written.
   */
  readonly invalidInput: boolean;

  constructor(
    code: AppErrorCode,
    opts: { message?: string; userMessage?: string; issues?: FieldIssue[]; retryAfter?: number; reason?: string; invalidInput?: boolean; cause?: unknown } = {},
  ) {
    super(opts.message ?? opts.userMessage ?? ERROR_TABLE[code].message, { cause: opts.cause });
    this.code = code;
    this.userMessage = opts.userMessage ?? ERROR_TABLE[code].message;
    this.issues = opts.issues;
    this.retryAfter = opts.retryAfter;
    this.reason = opts.reason;
    this.invalidInput = opts.invalidInput ?? false;
  }

  get status(): number {
    return ERROR_TABLE[this.code].status;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** Renders a zod-style path (["invites", 2, "search"]) the way callers write it: `invites[2].search`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || "body";
}

/** A zod failure as a 422 whose message names the first offending field. */
export function validationError(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): AppError {
  const fieldIssues = issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
  const first = fieldIssues[0];
  const userMessage = first ? `Invalid ${first.path}: ${first.message}` : "Validation failed.";
  return new AppError(AppErrorCode.UNPROCESSABLE, { userMessage, issues: fieldIssues, invalidInput: true });
}
