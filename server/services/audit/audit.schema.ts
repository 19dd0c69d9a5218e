import { z } from "zod";

export const MAX_AUDIT_PAGE = 100;

export const ZListAuditEventsInput = z.strictObject({
  /** The id of the last event of the previous page (a decimal string: ids are 64-bit). */
  cursor: z.string().regex(/^[1-9][0-9]{0,18}$/, "must be an event id").optional(),
  limit: z.number().int().min(1).max(MAX_AUDIT_PAGE).default(50),
  /** Matches actions starting with this, e.g. "member." or "api_token.revoked". */
  action: z.string().trim().max(100).regex(/^[a-z_.]*$/, "must be lowercase letters, dots and underscores").optional(),
  actorUserId: z.number().int().positive().optional(),
  targetType: z.string().trim().max(50).optional(),
  targetId: z.string().trim().max(100).optional(),
  /** Inclusive lower bound on the event time. */
  from: z.date().optional(),
  /** Exclusive upper bound on the event time. */
  to: z.date().optional(),
});
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
  }),
  targetType: z.string(),
  targetId: z.string().nullable(),
  before: z.json().nullable(),
  after: z.json().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.date(),
});
export type TAuditEvent = z.infer<typeof ZAuditEvent>;

export const ZListAuditEventsOutput = z.object({ items: z.array(ZAuditEvent), nextCursor: z.string().nullable() });
export type TListAuditEventsOutput = z.infer<typeof ZListAuditEventsOutput>;
