/** server/errors.ts: one table maps every AppError code to tRPC, HTTP and both seeds' wording. */
import { describe, expect, it } from "vitest";
import { AppError, AppErrorCode, ERROR_TABLE, formatPath, validationError } from "../../server/errors.ts";

describe("ERROR_TABLE", () => {
  it.each([
    ["BAD_REQUEST", 400, "BAD_REQUEST"],
    ["UNAUTHORIZED", 401, "UNAUTHORIZED"],
    ["FORBIDDEN", 403, "FORBIDDEN"],
    ["NOT_FOUND", 404, "NOT_FOUND"],
    ["CONFLICT", 409, "CONFLICT"],
    ["PAYLOAD_TOO_LARGE", 413, "PAYLOAD_TOO_LARGE"],
    ["UNPROCESSABLE", 422, "UNPROCESSABLE_CONTENT"],
    ["TOO_MANY_REQUESTS", 429, "TOO_MANY_REQUESTS"],
    ["UNAVAILABLE", 503, "INTERNAL_SERVER_ERROR"],
    ["INTERNAL", 500, "INTERNAL_SERVER_ERROR"],
  ] as const)("should map %s to HTTP %i and tRPC %s", (code, status, trpc) => {
    expect(ERROR_TABLE[code]).toMatchObject({ status, trpc });
    expect(new AppError(code).status).toBe(status);
  });

  it("should cover every AppErrorCode", () => {
    expect(Object.keys(ERROR_TABLE).sort()).toEqual(Object.values(AppErrorCode).sort());
  });

  it("should use seed 000's wording for 401 and 403", () => {
    expect(ERROR_TABLE.UNAUTHORIZED.message).toBe("Authentication needed.");
    expect(ERROR_TABLE.FORBIDDEN.message).toBe("Access denied.");
  });
});

describe("AppError", () => {
  it("should default userMessage to the table's message and keep an internal message apart", () => {
    const plain = new AppError(AppErrorCode.NOT_FOUND);
    expect(plain.userMessage).toBe("Not found.");
    const detailed = new AppError(AppErrorCode.CONFLICT, { message: "row 17 locked", userMessage: "Already a member." });
    expect(detailed.message).toBe("row 17 locked");
    expect(detailed.userMessage).toBe("Already a member.");
    expect(detailed.code).toBe("CONFLICT");
  });

  it("should carry retryAfter for TOO_MANY_REQUESTS", () => {
    expect(new AppError(AppErrorCode.TOO_MANY_REQUESTS, { retryAfter: 42 }).retryAfter).toBe(42);
  });
});

describe("formatPath", () => {
  it.each([
    [["invites", 2, "search"], "invites[2].search"],
    [["login"], "login"],
    [["a", "b", "c"], "a.b.c"],
    [["user_permissions", 0, "value"], "user_permissions[0].value"],
    [[], "body"],
  ] as const)("should render %j as %s", (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });
});

describe("validationError", () => {
  it("should be a 422 whose message names the first offending field", () => {
    const err = validationError([
      { path: ["invites", 2, "search"], message: "must be an email or a phone" },
      { path: ["name"], message: "is required" },
    ]);
    expect(err.code).toBe("UNPROCESSABLE");
    expect(err.status).toBe(422);
    expect(err.userMessage).toBe("Invalid invites[2].search: must be an email or a phone");
    expect(err.issues).toEqual([
      { path: "invites[2].search", message: "must be an email or a phone" },
      { path: "name", message: "is required" },
    ]);
  });
});
