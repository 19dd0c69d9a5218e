/** server/auth/secrets.ts: bearer secrets are prefixed, full-entropy and stored only as SHA-256. */
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { displayPrefix, hashSecret, newSecret, SECRET_PREFIX } from "../../server/auth/secrets.ts";

describe("newSecret", () => {
  it.each(Object.entries(SECRET_PREFIX))("should start %s secrets with %s", (_kind, prefix) => {
    expect(newSecret(prefix).startsWith(prefix)).toBe(true);
  });

  it("should carry at least 128 bits of randomness", () => {
    const body = newSecret(SECRET_PREFIX.partner).slice(SECRET_PREFIX.partner.length);
    expect(body).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(body, "base64url").length * 8).toBeGreaterThanOrEqual(128);
  });

  it("should never repeat", () => {
    const seen = new Set(Array.from({ length: 1000 }, () => newSecret("x_")));
    expect(seen.size).toBe(1000);
  });
});

describe("hashSecret", () => {
  it("should be the hex SHA-256 of the raw secret", () => {
    const raw = newSecret(SECRET_PREFIX.user);
    expect(hashSecret(raw)).toBe(crypto.createHash("sha256").update(raw).digest("hex"));
    expect(hashSecret(raw)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret(raw)).not.toContain(raw.slice(SECRET_PREFIX.user.length, 20));
  });
});

describe("displayPrefix", () => {
  it("should show the prefix plus six characters, never enough to use", () => {
    const raw = "rs_pt_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg";
    expect(displayPrefix(raw)).toBe("rs_pt_ABCDEF");
  });
});
