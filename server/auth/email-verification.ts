/**
 * Verification emails: an account created without an invitation link (join-page sign-up, CLI `member:add` without a
 * password, an integrator's join request on someone's behalf) has an unproven address until the person clicks the
 * emailed link (`/verify-email?token=…`, single use, 24 hours). Until then the person can sign in but no tenant
 * shows them anything (server/authz/actor.ts). The message is rendered before the caller's transaction (rendering
 * is the slow part) and committed inside it with the token row, so both exist or neither does.
 */
import type { Tx } from "../db/client.ts";
import { appLink, queueEmail, verifyEmailEmail, type TEmailMessage } from "../email/index.ts";
import { newAccountToken, storeAccountToken, VERIFY_EMAIL_TTL_MS } from "./account-tokens.ts";

export type VerificationMail = { raw: string; message: TEmailMessage };

type Person = { email: string; firstName?: string | null; lastName?: string | null; displayName?: string | null };

export const personName = (u: Omit<Person, "email">): string | null =>
  u.displayName || [u.firstName, u.lastName].filter(Boolean).join(" ") || null;

/**
 * Renders the verification email for `user` (who may not exist yet: the account is created in the transaction that
 * commits it) with a fresh token. `base` is an integrator's link base (seed 003's
 * verificationBaseUrl): honoured only when its origin is the app's own or in `allowedOrigins` (else 422, links.ts).
 */
export async function prepareVerificationEmail(
  user: Person,
  opts: { base?: string; allowedOrigins?: readonly string[]; tenantId?: number } = {},
): Promise<VerificationMail> {
  const raw = newAccountToken("VERIFY_EMAIL");
  const verifyUrl = appLink(`/verify-email?token=${raw}`, {
    ...(opts.base !== undefined ? { base: opts.base } : {}),
    allowedOrigins: opts.allowedOrigins ?? [],
  });
  const rendered = await verifyEmailEmail({ name: personName(user), verifyUrl, expiresHours: VERIFY_EMAIL_TTL_MS / 3_600_000 });
  return {
    raw,
    message: {
      to: user.email, ...rendered, kind: "verify_email", refType: "user",
      ...(opts.tenantId ? { tenantId: opts.tenantId } : {}),
    },
  };
}

/** Stores the token (retiring older verification links of the user) and queues the email, in the caller's transaction. */
export async function commitVerificationEmail(tx: Tx, user: { id: number; email: string }, mail: VerificationMail): Promise<void> {
  await storeAccountToken(tx, user, "VERIFY_EMAIL", mail.raw);
  await queueEmail(tx, { ...mail.message, refId: String(user.id) });
}
