import { z } from "zod";

export const ZIssueUserTokenInput = z.strictObject({
  login: z.string().min(1, "is required").max(254),
  password: z.string().min(1, "is required").max(256),
  /** Roster extension: a current TOTP or a recovery code, required for an account with two-factor (WIRE.md). */
  code: z.string().trim().min(1, "is required").max(64).optional(),
});
export type TIssueUserTokenInput = z.input<typeof ZIssueUserTokenInput>;

/** Seed 000's POST /auth `data`. */
export const ZUserTokenOutput = z.object({
  id: z.number().int(),
  user_token: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  login: z.string(),
  email: z.string(),
  avatar: z.string().nullable(),
  is_approved: z.boolean(),
});
export type TUserTokenOutput = z.infer<typeof ZUserTokenOutput>;
