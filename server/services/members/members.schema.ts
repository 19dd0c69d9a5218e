import { z } from "zod";
import { ZEmail } from "../../auth/email.ts";
import { ZPassword } from "../tenants/tenants.schema.ts";

export const ZRoleSlug = z.string().min(1).max(64).regex(/^[a-z0-9_-]+$/, "must be a role slug");

/** Operator path (CLI): adds a person directly as an active member, creating a verified account when needed. */
export const ZAddMemberInput = z.strictObject({
  email: ZEmail,
  password: ZPassword,
  role: ZRoleSlug.optional(),
  unitIds: z.array(z.number().int().positive()).max(1000).default([]),
  client: z.boolean().default(false),
  firstName: z.string().trim().max(100).optional(),
  lastName: z.string().trim().max(100).optional(),
});
export type TAddMemberInput = z.input<typeof ZAddMemberInput>;
