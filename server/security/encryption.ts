/**
 * AES-256-GCM for secrets Roster must read back (TOTP seeds today; webhook and SSO secrets later). Passwords and
 * tokens are never encrypted: they are hashed. A ciphertext names its key by id (the first 8 hex characters of the
 * key's SHA-256), so DATA_ENCRYPTION_KEY can rotate: the new key encrypts, keys listed in DATA_ENCRYPTION_OLD_KEYS
 * still decrypt, and `needsReencryption` tells callers to rewrite a value under the current key.
 *
 * Format: `v1.<keyId>.<iv base64url>.<tag base64url>.<ciphertext base64url>`. The optional `context` (e.g.
 * "totp:42") is bound as additional authenticated data, so a ciphertext copied to another row does not decrypt.
 */
import crypto from "node:crypto";
import { getEnv } from "../env.ts";

export type DataKeys = { current: Buffer; old: Buffer[] };

export const keyId = (key: Buffer) => crypto.createHash("sha256").update(key).digest("hex").slice(0, 8);

export class DecryptionError extends Error {
  override name = "DecryptionError";
}

export function encryptWith(keys: DataKeys, plaintext: string, context = ""): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", keys.current, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", keyId(keys.current), iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
}

export function decryptWith(keys: DataKeys, value: string, context = ""): string {
  const [version, id, iv, tag, ct] = value.split(".");
  if (version !== "v1" || !id || !iv || !tag || ct === undefined) throw new DecryptionError("not a Roster ciphertext");
  const key = [keys.current, ...keys.old].find((k) => keyId(k) === id);
  if (!key) throw new DecryptionError(`no key with id ${id} (was DATA_ENCRYPTION_KEY changed without listing the old one in DATA_ENCRYPTION_OLD_KEYS?)`);
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new DecryptionError("ciphertext does not authenticate");
  }
}

export const needsReencryptionWith = (keys: DataKeys, value: string) => value.split(".")[1] !== keyId(keys.current);

/** Encrypts under the configured current key. */
export const encryptSecret = (plaintext: string, context = "") => encryptWith(getEnv().dataKeys, plaintext, context);
/** Decrypts with the current or an old configured key; throws DecryptionError otherwise. */
export const decryptSecret = (value: string, context = "") => decryptWith(getEnv().dataKeys, value, context);
export const needsReencryption = (value: string) => needsReencryptionWith(getEnv().dataKeys, value);
