/** server/security/encryption.ts: AES-256-GCM with key ids, rotation and context binding. */
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { DecryptionError, decryptWith, encryptWith, keyId, needsReencryptionWith } from "../../server/security/encryption.ts";

const k1 = crypto.randomBytes(32);
const k2 = crypto.randomBytes(32);

describe("data encryption", () => {
  it("should round-trip and never repeat a ciphertext for the same plaintext", () => {
    const keys = { current: k1, old: [] };
    const a = encryptWith(keys, "JBSWY3DPEHPK3PXP", "totp:1");
    const b = encryptWith(keys, "JBSWY3DPEHPK3PXP", "totp:1");
    expect(a).not.toBe(b);
    expect(a).not.toContain("JBSWY3DPEHPK3PXP");
    expect(a.split(".")[1]).toBe(keyId(k1));
    expect(decryptWith(keys, a, "totp:1")).toBe("JBSWY3DPEHPK3PXP");
  });

  it("should refuse a ciphertext bound to another context", () => {
    const keys = { current: k1, old: [] };
    expect(() => decryptWith(keys, encryptWith(keys, "secret", "totp:1"), "totp:2")).toThrow(DecryptionError);
  });

  it("should refuse a tampered ciphertext", () => {
    const keys = { current: k1, old: [] };
    const parts = encryptWith(keys, "secret").split(".");
    const ct = Buffer.from(parts[4]!, "base64url");
    ct[0]! ^= 1;
    parts[4] = ct.toString("base64url");
    expect(() => decryptWith(keys, parts.join("."))).toThrow(DecryptionError);
  });

  it("should decrypt with an old key after rotation and say the value needs re-encryption", () => {
    const before = encryptWith({ current: k1, old: [] }, "secret");
    const rotated = { current: k2, old: [k1] };
    expect(decryptWith(rotated, before)).toBe("secret");
    expect(needsReencryptionWith(rotated, before)).toBe(true);
    expect(needsReencryptionWith(rotated, encryptWith(rotated, "secret"))).toBe(false);
  });

  it("should name the missing key id when the key was replaced without keeping the old one", () => {
    const before = encryptWith({ current: k1, old: [] }, "secret");
    expect(() => decryptWith({ current: k2, old: [] }, before)).toThrow(/no key with id/);
  });
});
