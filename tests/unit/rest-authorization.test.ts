/** server/rest/authenticate.ts parseAuthorization: the two header forms the seeds use, and nothing else. */
import { describe, expect, it } from "vitest";
import { parseAuthorization } from "../../server/rest/authenticate.ts";

const partner = "rs_pt_" + "P".repeat(43);
const user = "rs_ut_" + "U".repeat(43);

describe("parseAuthorization", () => {
  it("should read seed 000's pair form `Bearer <partner>, User <user>`", () => {
    expect(parseAuthorization(`Bearer ${partner}, User ${user}`)).toEqual({ kind: "pair", partner, user });
  });

  it("should accept the pair without a space after the comma and with lower-case keywords", () => {
    expect(parseAuthorization(`bearer ${partner},user ${user}`)).toEqual({ kind: "pair", partner, user });
  });

  it("should read the single form `Bearer <token>`", () => {
    expect(parseAuthorization(`Bearer ${user}`)).toEqual({ kind: "single", token: user });
    expect(parseAuthorization(`  Bearer ${user}  `)).toEqual({ kind: "single", token: user });
  });

  it.each([
    ["missing", null],
    ["empty", ""],
    ["Basic auth", `Basic ${Buffer.from("a:b").toString("base64")}`],
    ["scheme only", "Bearer"],
    ["too short a token", "Bearer abc"],
    ["two bearer tokens", `Bearer ${partner} ${user}`],
    ["pair without User keyword", `Bearer ${partner}, ${user}`],
    ["User part only", `User ${user}`],
    ["forbidden characters", `Bearer ${partner}"<script>`],
    ["a token over 512 characters", `Bearer ${"a".repeat(513)}`],
  ])("should refuse %s with UNAUTHORIZED", (_label, header) => {
    expect(() => parseAuthorization(header)).toThrow(expect.objectContaining({ code: "UNAUTHORIZED", userMessage: "Authentication needed." }));
  });
});
