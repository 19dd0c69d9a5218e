/** Two-factor in tests: enrol a user through the real services and compute codes with otplib, as an app would. */
import { generate } from "otplib";
import type { Db } from "../../server/db/client.ts";
import { enableTwoFactor } from "../../server/services/account/enable-two-factor.ts";
import type { AccountSelf } from "../../server/services/account/self.ts";
import { startTwoFactor } from "../../server/services/account/start-two-factor.ts";
import { signIn, TEST_META } from "./factories.ts";

/** A TOTP code for `secret` (Base32, spaces allowed) at now + offsetSteps * 30 s. */
export const totpAt = (secret: string, offsetSteps = 0) =>
  generate({ secret: secret.replace(/\s+/g, ""), epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });

/** The account-level caller of a fresh session (re-authenticated now). */
export function selfOf(user: { id: number }, sessionId: number, reauthAt: Date | null = new Date()): AccountSelf {
  return { kind: "user", userId: user.id, sessionId, reauthAt, meta: TEST_META };
}

/** Lets the next code of any step pass again (tests that need several TOTP uses within one 30-second step). */
export const forgetLastStep = (db: Db, userId: number) => db.twoFactor.update({ where: { userId }, data: { lastUsedStep: null } });

/** Turns two-factor on for `user`; returns the Base32 secret and the recovery codes shown once. */
export async function enrolTwoFactor(db: Db, user: { id: number; email: string }) {
  const { sessionId } = await signIn(db, user);
  const self = selfOf(user, sessionId);
  const started = await startTwoFactor(db, self);
  const secret = started.secret.replace(/\s+/g, "");
  const { recoveryCodes } = await enableTwoFactor(db, self, { code: await totpAt(secret) });
  await forgetLastStep(db, user.id);
  return { secret, recoveryCodes, sessionId };
}
