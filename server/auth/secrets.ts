/**
 * Bearer secrets (session ids, API tokens, invitation, verification and reset tokens): 256 bits from the CSPRNG, prefixed so secret scanners
 * recognise them, stored only as SHA-256. A fast hash is right here: the input has full entropy, so there is
 * nothing to brute-force, and lookups by hash stay one indexed read.
 */
import crypto from "node:crypto";

export const SECRET_PREFIX = {
  session: "rs_sess_",
  partner: "rs_pt_",
  user: "rs_ut_",
  personal: "rs_pat_",
  invitation: "rs_inv_",
  verifyEmail: "rs_ve_",
  resetPassword: "rs_pr_",
} as const;

export function newSecret(prefix: string): string {
  return prefix + crypto.randomBytes(32).toString("base64url");
}

export function hashSecret(raw: string): string {
  return crypto.createHash("sha256").update(raw, "utf8").digest("hex");
}

/** The part of a token shown in lists: the prefix plus a few characters, never enough to use. */
export function displayPrefix(raw: string): string {
  const cut = raw.indexOf("_", 3);
  return raw.slice(0, (cut > 0 ? cut + 1 : 0) + 6);
}
