/**
 * The password policy, applied wherever a password is set (invitation and join sign-up, reset, change, the CLI):
 * 12 to 128 characters (ASVS 6.2.1 / 6.2.9) and not one of the most common breached passwords (ASVS 6.2.4), compared
 * case-insensitively. The list ships with the app (common-passwords.txt, no network at run time): the passwords
 * dictionary of @zxcvbn-ts/language-common 4.1.3 (MIT), lowercased, one per line. To refresh it, `npm pack` that
 * package outside the project (never install it), take src/passwords.json and rewrite the file the same way.
 * Nothing else is demanded (no composition rules: ASVS 6.2.5), and the password is never trimmed or rewritten.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export const COMMON_PASSWORD_MESSAGE = "is one of the most common passwords, which attackers try first: choose another";

let common: ReadonlySet<string> | undefined;

/** The shipped list, read once (from the project directory, like the migrations: never a module id in a bundle). */
function commonPasswords(): ReadonlySet<string> {
  if (!common) {
    const file = path.join(process.cwd(), "server", "auth", "common-passwords.txt");
    const text = fs.readFileSync(/* turbopackIgnore: true */ file, "utf8");
    common = new Set(text.split("\n").filter((l) => l !== "" && !l.startsWith("#")));
  }
  return common;
}

/** Whether `password` is on the shipped list of common breached passwords (case-insensitive). */
export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.toLowerCase());
}

/** What is wrong with `password` under the policy ("must be at least 12 characters", ...), or null when it passes. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  if (isCommonPassword(password)) return COMMON_PASSWORD_MESSAGE;
  return null;
}

/** A new password under the policy; a failure is a 422 naming the field (parseInput). */
export const ZNewPassword = z.string().superRefine((value, ctx) => {
  const problem = passwordProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
