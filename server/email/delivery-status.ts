/** Delivery status lookups for callers that show "sent" / "failed to send" (invitations, join requests). */
import type { Db, Tx } from "../db/client.ts";
import type { DeliveryStatus, TDeliveryState } from "./email.schema.ts";

const STATUS: Record<"QUEUED" | "SENT" | "FAILED" | "CANCELLED", DeliveryStatus> = {
  QUEUED: "queued",
  SENT: "sent",
  FAILED: "failed",
  CANCELLED: "cancelled",
};

type Row = {
  id: number;
  status: keyof typeof STATUS;
  lastError: string | null;
  nextAttemptAt: Date | null;
  attempts: number;
  sentAt: Date | null;
  updatedAt: Date;
};

const SELECT = { id: true, status: true, lastError: true, nextAttemptAt: true, attempts: true, sentAt: true, updatedAt: true } as const;

function toState(r: Row): TDeliveryState {
  return {
    deliveryId: r.id,
    status: STATUS[r.status],
    error: r.lastError,
    retrying: r.status === "FAILED" && r.nextAttemptAt !== null,
    nextAttemptAt: r.nextAttemptAt,
    attempts: r.attempts,
    sentAt: r.sentAt,
    updatedAt: r.updatedAt,
  };
}

/** The newest message about (refType, refId), e.g. ("invitation", "42"); null when none was ever queued. */
export async function latestDeliveryStatus(db: Db | Tx, refType: string, refId: string | number): Promise<TDeliveryState | null> {
  const row = await db.emailDelivery.findFirst({
    where: { refType, refId: String(refId) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: SELECT,
  });
  return row ? toState(row) : null;
}

/** Latest status for many subjects of one type at once (list pages): refId → state. */
export async function latestDeliveryStatuses(db: Db | Tx, refType: string, refIds: readonly (string | number)[]): Promise<Map<string, TDeliveryState>> {
  const ids = [...new Set(refIds.map(String))];
  const out = new Map<string, TDeliveryState>();
  if (ids.length === 0) return out;
  const rows = await db.emailDelivery.findMany({
    where: { refType, refId: { in: ids } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { ...SELECT, refId: true },
  });
  for (const r of rows) if (r.refId && !out.has(r.refId)) out.set(r.refId, toState(r));
  return out;
}

export async function getDeliveryStatus(db: Db | Tx, deliveryId: number): Promise<TDeliveryState | null> {
  const row = await db.emailDelivery.findUnique({ where: { id: deliveryId }, select: SELECT });
  return row ? toState(row) : null;
}
