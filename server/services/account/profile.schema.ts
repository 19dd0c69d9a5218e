/**
 * The account page's own profile form: shared by the browser (app/account/profile-form.tsx) and the service, so it
 * imports nothing but zod.
 */
import { z } from "zod";

/**
 * The languages the account page offers. Roster's own pages are English today; the choice is stored for integrators
 * (seed 003's `language`) and for the translations to come, so the list stays short and every entry is one a person
 * could actually be served in.
 */
export const LANGUAGES = [
  { code: "en", label: "English" },
  { code: "de", label: "Deutsch" },
  { code: "fr", label: "Français" },
  { code: "es", label: "Español" },
  { code: "it", label: "Italiano" },
  { code: "pt", label: "Português" },
] as const;
export type LanguageCode = (typeof LANGUAGES)[number]["code"];
const LANGUAGE_CODES = LANGUAGES.map((l) => l.code) as [LanguageCode, ...LanguageCode[]];

// A name is shown in lists, emails and the seed DTOs: printable text on one line. Blank means "none" (the service
// stores null); no transform here, so the output parses again unchanged at the service boundary.
const ZName = z
  .string()
  .trim()
  .max(100, "Use at most 100 characters.")
  .regex(/^[^\p{Cc}\p{Cf}]*$/u, "Use letters, digits and punctuation only (no control characters).");

export const ZUpdateProfileInput = z.strictObject({
  firstName: ZName,
  lastName: ZName,
  displayName: ZName,
  language: z.enum(LANGUAGE_CODES, { error: "Choose one of the languages offered." }),
});
export type TUpdateProfileInput = z.input<typeof ZUpdateProfileInput>;
