/**
 * Request bodies of the REST invitation routes (validated so a 422 names the wire's own field) and the mapping of
 * service field paths back to seed 000's names (`items[2].email` → `invites[2].search`). Kept beside the services
 * because server/rest belongs to the shared REST plumbing; nothing here touches the database.
 */
import { z } from "zod";
import { AppError, AppErrorCode, isAppError } from "../../errors.ts";
import { MAX_BATCH, ZValueInput } from "../access/access.schema.ts";
import type { TCreateInvitationInput } from "./invitations.schema.ts";

export const ZInvite003Body = z.strictObject({
  email: z.string().max(1000),
  sendEmail: z.boolean().default(true),
  verificationBaseUrl: z.string().max(2000).optional(),
});
export const ZResend003Body = z.strictObject({
  email: z.string().max(1000),
  verificationBaseUrl: z.string().max(2000).optional(),
});

const ZPositiveId = z.number().int().positive().max(2_147_483_647);
export const ZInvite000Body = z.strictObject({
  invites: z.array(z.strictObject({
    name: z.string().max(200).nullable().optional(),
    search: z.string().max(1000),
    position: z.string().max(200).nullable().optional(),
    user_role: z.string().min(1).max(64).nullable().optional(),
    user_permissions: z.array(ZValueInput).max(MAX_BATCH).nullable().optional(),
    staff_id: ZPositiveId.nullable().optional(),
  })).min(1).max(MAX_BATCH),
});
export type TInvite000Body = z.output<typeof ZInvite000Body>;

/** Seed 000 `search` is an email or a phone number: anything with an `@` is taken as an email. */
export function invite000Items(body: TInvite000Body, locationId: number): TCreateInvitationInput[] {
  return body.invites.map((i) => ({
    ...(i.search.includes("@") ? { email: i.search } : { phone: i.search }),
    ...(i.name ? { name: i.name } : {}),
    kind: "MEMBER" as const,
    unitGrants: [{
      unitId: locationId, role: i.user_role ?? "worker", permissions: i.user_permissions ?? [], staffId: i.staff_id ?? null, position: i.position ?? null,
    }],
  }));
}

const WIRE_000: [RegExp, string][] = [
  [/\bitems\[/g, "invites["],
  [/\.(email|phone)\b/g, ".search"],
  [/\.unitGrants\[0\]\.permissions/g, ".user_permissions"],
  [/\.unitGrants\[0\]\.role/g, ".user_role"],
  [/\.unitGrants\[0\]\.staffId/g, ".staff_id"],
  [/\.unitGrants\[0\]\.position/g, ".position"],
];
const rename000 = (s: string) => WIRE_000.reduce((acc, [re, to]) => acc.replace(re, to), s);

/** Runs a service call and renames the field paths (and messages) of its errors to seed 000's names. */
export async function withInvite000Names<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!isAppError(e)) throw e;
    const issues = e.issues?.map((i) => ({ path: rename000(i.path), message: i.message }));
    const first = issues?.[0];
    const userMessage = first && e.code === AppErrorCode.UNPROCESSABLE ? `Invalid ${first.path}: ${first.message}` : rename000(e.userMessage);
    throw new AppError(e.code, { userMessage, ...(issues ? { issues } : {}) });
  }
}
