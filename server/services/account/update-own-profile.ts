/**
 * The signed-in person edits their own name, display name and language on the account page. Only the fields that
 * actually changed are written to the account trail (`user.profile_changed`, before and after), in the update's
 * transaction; saving an unchanged form writes nothing. The search text copies (User_searchText and the membership
 * copies) are kept by the database's triggers.
 */
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { parseInput } from "../parse.ts";
import type { TMe } from "./account.schema.ts";
import { ZUpdateProfileInput, type TUpdateProfileInput } from "./profile.schema.ts";
import { getMe } from "./get-me.ts";
import { auditActorOf, type AccountSelf } from "./self.ts";

const FIELDS = ["firstName", "lastName", "displayName", "language"] as const;

export async function updateOwnProfile(db: Db, self: AccountSelf, input: TUpdateProfileInput): Promise<TMe> {
  const parsed = parseInput(ZUpdateProfileInput, input);
  const blankToNull = (s: string) => (s === "" ? null : s);
  const data = { firstName: blankToNull(parsed.firstName), lastName: blankToNull(parsed.lastName), displayName: blankToNull(parsed.displayName), language: parsed.language };
  await db.$transaction(async (tx) => {
    // Locked, so two saves racing from two tabs record each one's real "before".
    const rows = await tx.$queryRaw<{ firstName: string | null; lastName: string | null; displayName: string | null; language: string }[]>`
      SELECT "firstName", "lastName", "displayName", "language" FROM "User" WHERE "id" = ${self.userId} AND "disabledAt" IS NULL FOR UPDATE`;
    const current = rows[0];
    if (!current) throw new AppError(AppErrorCode.UNAUTHORIZED, { userMessage: "Sign in first." });
    const before: Record<string, string | null> = {};
    const after: Record<string, string | null> = {};
    for (const f of FIELDS) {
      if (current[f] !== data[f]) {
        before[f] = current[f];
        after[f] = data[f];
      }
    }
    if (Object.keys(after).length === 0) return;
    await tx.user.update({ where: { id: self.userId }, data: after });
    await recordAuditEvent(tx, {
      actor: auditActorOf(self), tenantId: null, action: "user.profile_changed", targetType: "user", targetId: self.userId, before, after,
    });
  });
  return getMe(db, self.userId);
}
