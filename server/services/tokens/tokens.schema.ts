import { z } from "zod";
import { SYSTEM_PERMISSIONS } from "../../authz/catalog.ts";

export const ZScope = z.enum(SYSTEM_PERMISSIONS.map((p) => p.slug) as [string, ...string[]]);
export const ZCreateApiTokenInput = z.strictObject({
  kind: z.enum(["partner", "personal"]),
  name: z.string().trim().min(1, "is required").max(100),
  /** Omitted: every scope the creator holds (a token never carries more than its creator could do). */
  scopes: z.array(ZScope).max(100).optional(),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type TCreateApiTokenInput = z.input<typeof ZCreateApiTokenInput>;

export const ZApiTokenKind = z.enum(["PARTNER", "USER", "PERSONAL"]);
/** What createApiToken returns: the raw secret (shown once, never stored) and the token's public fields. */
export const ZCreateApiTokenOutput = z.object({
  token: z.string(),
  apiToken: z.object({
    id: z.number().int(),
    name: z.string(),
    kind: ZApiTokenKind,
    prefix: z.string(),
    scopes: z.array(z.string()),
    expiresAt: z.date().nullable(),
  }),
});
export type TCreateApiTokenOutput = z.infer<typeof ZCreateApiTokenOutput>;

export const ZListApiTokensInput = z.strictObject({});
export type TListApiTokensInput = z.input<typeof ZListApiTokensInput>;

const ZPersonRef = z.object({ id: z.number().int(), email: z.string() }).nullable();
/** A token as lists show it: never the hash. USER tokens appear only as a count on the partner they were issued under. */
export const ZApiTokenListItem = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(["PARTNER", "PERSONAL"]),
  prefix: z.string(),
  scopes: z.array(z.string()),
  createdBy: ZPersonRef,
  /** The person a PERSONAL token acts as; null for partner tokens. */
  owner: ZPersonRef,
  createdAt: z.date(),
  expiresAt: z.date().nullable(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  /** Live (unrevoked, unexpired) USER tokens issued under this partner token; 0 for personal tokens. */
  userTokenCount: z.number().int(),
});
export type TApiTokenListItem = z.infer<typeof ZApiTokenListItem>;

export const ZRevokeApiTokenInput = z.strictObject({ id: z.number().int().positive() });
export type TRevokeApiTokenInput = z.input<typeof ZRevokeApiTokenInput>;
export const ZRevokeApiTokenOutput = z.object({
  id: z.number().int(),
  revokedAt: z.date(),
  /** USER tokens revoked along with a partner token by this call. */
  revokedUserTokens: z.number().int(),
});
export type TRevokeApiTokenOutput = z.infer<typeof ZRevokeApiTokenOutput>;
