/** Email normalisation shared by sign-in, invitations and the CLI, so uniqueness is case-insensitive everywhere. */
import { z } from "zod";

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

// ASCII-only local part and domain: look-alike Unicode characters are refused instead of silently matching.
export const ZEmail = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: "must be a single valid email address" }))
  .transform(normaliseEmail);
