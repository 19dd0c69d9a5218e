/**
 * The anonymous sign-up on /join/[tenant]: allowed whenever the tenant takes requests (REQUEST, or OPEN, its older name). Creates an account
 * (email unverified) and files the request, then the person signs in. Rate-limited per email address. The new
 * account gets a verification email; until the link is clicked an admin may accept the request, but the membership
 * stays "pending verification" and shows the person nothing (server/authz/actor.ts).
 *
 * No account enumeration: for an email that already has an account the answer is the same sentence and nothing is
 * written (the owner of that account signs in and asks from the page instead; nobody can file a request, or set a
 * password, for an address they do not control). The password is hashed before the lookup so both paths take as long.
 */
import type { RequestMeta } from "../../authz/actor.ts";
import { commitVerificationEmail, prepareVerificationEmail } from "../../auth/email-verification.ts";
import { hashPassword } from "../../auth/password.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { enforce, limit } from "../../security/rate-limit.ts";
import { parseInput } from "../parse.ts";
import { ZSignUpForJoinInput, type TSignUpForJoinInput, type TSignUpForJoinOutput } from "./join-requests.schema.ts";
import { fileJoinRequest, findRequestableTenant, userAuditActor, withPendingConflict } from "./request-record.ts";

export const signUpLimitKey = (email: string) => `join-sign-up:${email}`;

export const SIGN_UP_DONE =
  "Thanks. If this email address is new to Roster, your account was created and your request was sent to the tenant's admins. Sign in to follow it.";

export async function signUpForJoin(db: Db, input: TSignUpForJoinInput, meta: RequestMeta | null = null): Promise<TSignUpForJoinOutput> {
  const data = parseInput(ZSignUpForJoinInput, input);
  await enforce(db, signUpLimitKey(data.email), limit("signUpPerEmail"));
  // CLOSED, suspended or unknown: the neutral FORBIDDEN.
  const tenant = await findRequestableTenant(db, { slug: data.tenantSlug });
  const passwordHash = await hashPassword(data.password);
  // Rendered whether or not the address is new (same timing); queued only with a new account.
  const verification = await prepareVerificationEmail({ email: data.email, firstName: data.firstName, lastName: data.lastName });
  await withPendingConflict(() =>
    db.$transaction(async (tx) => {
      const existing = await tx.user.findUnique({ where: { email: data.email }, select: { id: true } });
      if (existing) return;
      const user = await tx.user.create({
        data: { email: data.email, passwordHash, firstName: data.firstName, lastName: data.lastName },
        select: { id: true },
      });
      await fileJoinRequest(tx, tenant, { userId: user.id, message: data.message, actor: userAuditActor(user.id, meta), via: "sign_up" });
      await commitVerificationEmail(tx, { id: user.id, email: data.email }, verification);
    }),
  ).catch((e) => {
    // A concurrent sign-up with the same email lost the race on User.email: same neutral answer.
    if (e instanceof AppError && e.code === AppErrorCode.CONFLICT) return;
    throw e;
  });
  return { message: SIGN_UP_DONE };
}
