/**
 * Reads next-auth's session JWT (a JWE: `dir` + A256GCM under a key derived from NEXTAUTH_SECRET) the way
 * next-auth's own `decode` does, with one difference: the HKDF-derived key is computed once per secret, not on
 * every call. Every tRPC request reads the cookie, and the derivation was a fixed cost of each. Same library (jose,
 * next-auth's own dependency, pinned to its version), same derivation (HKDF-SHA256, empty salt, next-auth's info
 * string), same 15 s clock tolerance; tests/unit/session-cookie.test.ts checks it against next-auth's encode.
 */
import crypto from "node:crypto";
import { jwtDecrypt, type JWTPayload } from "jose";

const INFO = "NextAuth.js Generated Encryption Key";

/** next-auth's session cookie name: `__Secure-` prefixed exactly when cookies are Secure (options.ts useSecureCookies). */
export const sessionCookieName = (secure: boolean) => (secure ? "__Secure-next-auth.session-token" : "next-auth.session-token");
const keys = new Map<string, Uint8Array>();

function keyFor(secret: string): Uint8Array {
  let key = keys.get(secret);
  if (!key) {
    key = new Uint8Array(crypto.hkdfSync("sha256", secret, "", INFO, 32));
    // One secret per process in practice; a rotation adds one more. Never unbounded.
    if (keys.size > 8) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/** The token's payload, or null when it is malformed, tampered with, sealed under another secret or expired. */
export async function decodeSessionToken(token: string, secret: string): Promise<JWTPayload | null> {
  try {
    const { payload } = await jwtDecrypt(token, keyFor(secret), { clockTolerance: 15 });
    return payload;
  } catch {
    return null;
  }
}
