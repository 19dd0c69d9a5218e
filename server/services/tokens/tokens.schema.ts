import { z } from "zod";
import { SYSTEM_PERMISSIONS } from "../../authz/catalog.ts";

export const ZScope = z.enum(SYSTEM_PERMISSIONS.map((p) => p.slug) as [string, ...string[]]);
export const ZCreateApiTokenInput = z.strictObject({
  kind: z.enum(["partner", "personal"]),
  name: z.string().trim().min(1, "is required").max(100),
  /** Omitted: every scope (the token is still limited by the acting user's own rights). */
  scopes: z.array(ZScope).max(100).optional(),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type TCreateApiTokenInput = z.input<typeof ZCreateApiTokenInput>;
