import { z } from "zod";

export const MAX_AUDIT_PAGE = 100;

const ZAuditFilters = {
  /** The id of the last event of the previous page (a decimal string: ids are 64-bit). */
  cursor: z.string().regex(/^[1-9][0-9]{0,18}$/, "must be an event id").optional(),
  limit: z.number().int().min(1).max(MAX_AUDIT_PAGE).default(50),
  /** Matches actions starting with this, e.g. "member." or "api_token.revoked". */
  action: z.string().trim().max(100).regex(/^[a-z_.]*$/, "must be lowercase letters, dots and underscores").optional(),
  actorUserId: z.number().int().positive().optional(),
  /** The actor's email, or part of their name or email (as the actor field's suggestions offer them). */
  actor: z.string().trim().min(1, "Type at least one character of a name or email.").max(200).optional(),
  targetType: z.string().trim().max(50).optional(),
  targetId: z.string().trim().max(100).optional(),
  /** Inclusive lower bound on the event time. */
  from: z.date().optional(),
  /** Exclusive upper bound on the event time. */
  to: z.date().optional(),
};

const fromNotAfterTo = (v: { from?: Date | undefined; to?: Date | undefined }) => !v.from || !v.to || v.from.getTime() < v.to.getTime();
const RANGE_MESSAGE = "The end date must be on or after the start date.";

export const ZListAuditEventsInput = z.strictObject(ZAuditFilters).refine(fromNotAfterTo, { message: RANGE_MESSAGE, path: ["to"] });
export type TListAuditEventsInput = z.input<typeof ZListAuditEventsInput>;

export const ZAuditEvent = z.object({
  id: z.string(),
  action: z.string(),
  actor: z.object({
    type: z.enum(["USER", "TOKEN", "SYSTEM"]),
    userId: z.number().int().nullable(),
    tokenId: z.number().int().nullable(),
    /** The user's email, else the token's name, else "system". */
    label: z.string(),
    /** The token the change came through, when it came through one. */
    tokenName: z.string().nullable(),
    /** The person's display name (display name, else first and last name); null for tokens, the system or no name. */
    name: z.string().nullable(),
    email: z.string().nullable(),
  }),
  targetType: z.string(),
  targetId: z.string().nullable(),
  /**
   * What the event is about, in words: a person by name and email (a deleted one by what the event recorded), a
   * unit, role or token by name. `label` is never an internal id.
   */
  target: z.object({ label: z.string(), name: z.string().nullable(), email: z.string().nullable() }),
  before: z.json().nullable(),
  after: z.json().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.date(),
});
export type TAuditEvent = z.infer<typeof ZAuditEvent>;

export const ZListAuditEventsOutput = z.object({ items: z.array(ZAuditEvent), nextCursor: z.string().nullable() });
export type TListAuditEventsOutput = z.infer<typeof ZListAuditEventsOutput>;

/**
 * The audit page's query string (all strings) as the list's filters: dates are yyyy-mm-dd days in UTC and "to" is the
 * last day included. Shared by the page (server) and the filter form (browser), so both refuse the same things.
 */
const day = (label: string) =>
  z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, `${label} must be a date.`)
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), `${label} must be a real date.`);
export const ZAuditSearchForm = z.strictObject({
  action: z.string().trim().max(100, "Up to 100 characters.").regex(/^[a-z_.]*$/, "Use lowercase letters, dots and underscores, like member.").optional(),
  actor: z.string().trim().max(200, "Up to 200 characters.").optional(),
  from: z.union([z.literal(""), day("Start date")]).optional(),
  to: z.union([z.literal(""), day("End date")]).optional(),
}).refine((v) => !v.from || !v.to || v.from <= v.to, { message: RANGE_MESSAGE, path: ["to"] });
export type TAuditSearchForm = z.infer<typeof ZAuditSearchForm>;

/** An actor the filter can suggest: a member (or former actor) of the tenant. */
export const ZAuditActorSuggestion = z.object({ userId: z.number().int(), name: z.string().nullable(), email: z.string() });
export type TAuditActorSuggestion = z.infer<typeof ZAuditActorSuggestion>;
export const ZSearchAuditActorsInput = z.strictObject({ query: z.string().trim().max(100).default("") });
export type TSearchAuditActorsInput = z.input<typeof ZSearchAuditActorsInput>;
