import { z } from "zod";

export const ZSessionInfo = z.object({
  id: z.number().int(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.date(),
  lastSeenAt: z.date(),
  expiresAt: z.date(),
  current: z.boolean(),
});
export type TSessionInfo = z.infer<typeof ZSessionInfo>;

export const ZRevokeSessionInput = z.strictObject({ id: z.number().int().positive() });

export const ZMe = z.object({
  id: z.number().int(),
  email: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  displayName: z.string().nullable(),
  phone: z.string().nullable(),
  language: z.string(),
  lastLoginAt: z.date().nullable(),
});
export type TMe = z.infer<typeof ZMe>;
