import { describe, expect, it } from "vitest";
import { safeReturnPath, signInUrlFor } from "../../server/auth/return-path.ts";

describe("safeReturnPath", () => {
  it("should keep a same-site path with its query and fragment", () => {
    expect(safeReturnPath("/t/acme/members?q=jo&sort=email#top")).toBe("/t/acme/members?q=jo&sort=email#top");
    expect(safeReturnPath(["/account", "/other"])).toBe("/account");
  });

  it.each([
    ["another origin", "https://evil.example/x"],
    ["a protocol-relative URL", "//evil.example/x"],
    ["a backslash browsers read as a slash", "/\\evil.example"],
    ["a tab inside the scheme-relative prefix", "/\t/evil.example"],
    ["a script URL", "javascript:alert(1)"],
    ["a relative path", "t/acme"],
    ["an empty value", ""],
    ["a non-string", 42],
    ["nothing", undefined],
    ["an absurd length", "/" + "a".repeat(3000)],
  ])("should fall back to / for %s", (_label, value) => {
    expect(safeReturnPath(value)).toBe("/");
  });

  it("should normalise dot segments without leaving the site", () => {
    expect(safeReturnPath("/t/../../account")).toBe("/account");
  });

  it("should build the sign-in link with the path encoded", () => {
    expect(signInUrlFor("/t/acme/members?q=jo")).toBe("/signin?callbackUrl=%2Ft%2Facme%2Fmembers%3Fq%3Djo");
    expect(signInUrlFor("//evil.example")).toBe("/signin?callbackUrl=%2F");
  });
});
