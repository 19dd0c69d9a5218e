/** server/auth/session-cookie.ts reads exactly what next-auth writes, and nothing else. */
import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { decodeSessionToken } from "../../server/auth/session-cookie.ts";

const secret = "unit-test-secret-".padEnd(48, "s");

describe("session cookie decoding", () => {
  it("reads a token next-auth's encode sealed, with its claims", async () => {
    const token = await encode({ token: { sid: "abc", email: "a@example.test", name: "A" }, secret });
    const payload = await decodeSessionToken(token, secret);
    expect(payload).toMatchObject({ sid: "abc", email: "a@example.test", name: "A" });
  });

  it("refuses a token sealed under another secret", async () => {
    const token = await encode({ token: { sid: "abc" }, secret: "another-secret-".padEnd(48, "x") });
    expect(await decodeSessionToken(token, secret)).toBeNull();
  });

  it("refuses a token with one character of its ciphertext changed", async () => {
    const token = await encode({ token: { sid: "abc" }, secret });
    const parts = token.split(".");
    const c = parts[3]!;
    parts[3] = (c[0] === "A" ? "B" : "A") + c.slice(1);
    expect(await decodeSessionToken(parts.join("."), secret)).toBeNull();
  });

  it("refuses an expired token (beyond the 15 s tolerance) and garbage", async () => {
    const expired = await encode({ token: { sid: "abc" }, secret, maxAge: -60 });
    expect(await decodeSessionToken(expired, secret)).toBeNull();
    expect(await decodeSessionToken("not-a-jwe", secret)).toBeNull();
    expect(await decodeSessionToken("", secret)).toBeNull();
  });

  it("keeps working after the secret changes (a rotation) and back", async () => {
    const other = "rotated-secret-".padEnd(48, "r");
    const a = await encode({ token: { sid: "a" }, secret });
    const b = await encode({ token: { sid: "b" }, secret: other });
    expect((await decodeSessionToken(a, secret))?.sid).toBe("a");
    expect((await decodeSessionToken(b, other))?.sid).toBe("b");
    expect(await decodeSessionToken(a, other)).toBeNull();
    expect((await decodeSessionToken(a, secret))?.sid).toBe("a");
  });
});
