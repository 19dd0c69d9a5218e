import { z } from "zod";

/**
 * CLOSED: invitation only. REQUEST ("On request"): anyone can ask to join on the join page, people without an
 * account signing up there first; admins accept or deny. OPEN is an older name for the same thing (visitors could
 * sign up only under it): kept so stored settings and API clients keep working; the settings page offers the two.
 */
export const JOIN_POLICIES = ["CLOSED", "REQUEST", "OPEN"] as const;
export const ZJoinPolicy = z.enum(JOIN_POLICIES);
export const MIN_INVITATION_TTL_DAYS = 1;
export const MAX_INVITATION_TTL_DAYS = 30;
export const MAX_LINK_ORIGINS = 20;

/**
 * An origin an integrator may use as `verificationBaseUrl`, normalised to scheme://host[:port] (default ports
 * dropped, host lower-cased by URL). A path other than "/", a query, a fragment or credentials are refused rather
 * than silently cut off, so the admin sees exactly what is stored.
 */
export const ZLinkOrigin = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(300)
  .transform((raw, ctx) => {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      ctx.addIssue({ code: "custom", message: "must be an http(s) origin like https://partner.example" });
      return z.NEVER;
    }
    const bare = (u.pathname === "/" || u.pathname === "") && !u.search && !u.hash && !u.username && !u.password;
    if ((u.protocol !== "https:" && u.protocol !== "http:") || !u.hostname || !bare) {
      ctx.addIssue({ code: "custom", message: "must be an http(s) origin like https://partner.example (no path, query or credentials)" });
      return z.NEVER;
    }
    return u.origin;
  });

const ttlRange = `must be between ${MIN_INVITATION_TTL_DAYS} and ${MAX_INVITATION_TTL_DAYS} days`;
export const ZInvitationTtlDays = z
  .number(ttlRange)
  .int("must be a whole number of days")
  .min(MIN_INVITATION_TTL_DAYS, ttlRange)
  .max(MAX_INVITATION_TTL_DAYS, ttlRange);

export const ZUpdateTenantSettingsInput = z
  .strictObject({
    invitationTtlDays: ZInvitationTtlDays.optional(),
    joinPolicy: ZJoinPolicy.optional(),
    allowedLinkOrigins: z.array(ZLinkOrigin).max(MAX_LINK_ORIGINS, `must list at most ${MAX_LINK_ORIGINS} origins`).optional(),
    /** Every member must have two-factor on before reaching this tenant's pages or data. */
    requireTwoFactor: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "name at least one setting to change" });
export type TUpdateTenantSettingsInput = z.input<typeof ZUpdateTenantSettingsInput>;

/**
 * The settings form, checked in the browser with the input's own field schemas: the lifetime as typed (a string)
 * and the origins one per line, each line checked with ZLinkOrigin and named by its line number.
 */
export const ZSettingsFormValues = z.object({
  invitationTtlDays: z
    .string()
    .trim()
    .min(1, ttlRange)
    .transform(Number)
    .pipe(ZInvitationTtlDays),
  joinPolicy: ZJoinPolicy,
  requireTwoFactor: z.boolean(),
  allowedLinkOrigins: z.string().transform((text, ctx) => {
    const out: string[] = [];
    text.split("\n").forEach((raw, i) => {
      const line = raw.trim();
      if (!line) return;
      const parsed = ZLinkOrigin.safeParse(line);
      if (parsed.success) out.push(parsed.data);
      else ctx.addIssue({ code: "custom", message: `line ${i + 1} (${line.slice(0, 60)}) ${parsed.error.issues[0]?.message ?? "is not an origin"}` });
    });
    if (out.length > MAX_LINK_ORIGINS) ctx.addIssue({ code: "custom", message: `must list at most ${MAX_LINK_ORIGINS} origins` });
    return out;
  }),
});
export type TSettingsFormValues = z.input<typeof ZSettingsFormValues>;

export const ZTenantSettings = z.object({
  invitationTtlDays: z.number().int(),
  joinPolicy: ZJoinPolicy,
  allowedLinkOrigins: z.array(z.string()),
  requireTwoFactor: z.boolean(),
  /** The app's own public origin: always allowed, whatever the list says. */
  appOrigin: z.string(),
  /** Whether the viewer may change the settings (the service checks again on update). */
  canManage: z.boolean(),
});
export type TTenantSettings = z.infer<typeof ZTenantSettings>;

/** The settings form's labels for these fields (server/services/labels.schema.ts merges every domain's table). */
export const SETTINGS_LABELS = {
  invitationTtlDays: "Invitation lifetime (days)",
  joinPolicy: "Join requests",
  allowedLinkOrigins: "Allowed link origins",
  requireTwoFactor: "Require two-factor authentication",
} as const;
