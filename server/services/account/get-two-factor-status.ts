/** Whether the signed-in person has two-factor on, how many recovery codes are left, and which tenants require it. */
import type { Db } from "../../db/client.ts";
import type { TTwoFactorStatus } from "./account.schema.ts";

export async function getTwoFactorStatus(db: Db, self: { userId: number }): Promise<TTwoFactorStatus> {
  const [row, left, requiredBy] = await Promise.all([
    db.twoFactor.findUnique({ where: { userId: self.userId }, select: { enabledAt: true } }),
    db.recoveryCode.count({ where: { userId: self.userId, usedAt: null } }),
    db.tenant.findMany({
      where: { requireTwoFactor: true, memberships: { some: { userId: self.userId } } },
      select: { slug: true, name: true },
      orderBy: { name: "asc" },
      take: 50,
    }),
  ]);
  const enabled = !!row?.enabledAt;
  return { enabled, enabledAt: row?.enabledAt ?? null, pending: !!row && !enabled, recoveryCodesLeft: enabled ? left : 0, requiredBy };
}
