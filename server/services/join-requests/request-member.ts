/**
 * Seed 003's Member for a join request (no membership yet): server/rest/member-dto.ts's toMember003 reads a
 * membership and its status type allows only ACTIVE and SUSPENDED, so a requester is mapped here through the same
 * function (identical keys and field rules) with `status: "REQUESTED"`, no roles, no units, no full access.
 */
import { toMember003, type Member003 } from "../../rest/member-dto.ts";
import type { TJoinRequest } from "./join-requests.schema.ts";

export type RequestMember003 = Omit<Member003, "status"> & { status: "REQUESTED" };

export function toRequestMember003(request: TJoinRequest): RequestMember003 {
  const u = request.user;
  const base = toMember003({
    id: request.id, userId: u.id, tenantId: request.tenantId, email: u.email, firstName: u.firstName, lastName: u.lastName,
    displayName: u.displayName, phone: null, status: "ACTIVE", kind: "MEMBER", roles: [], hasFullAccess: false,
    lastLoginAt: u.lastLoginAt, createdAt: request.createdAt, language: u.language, verified: u.verified, avatar: u.avatar, units: [],
  });
  return { ...base, status: "REQUESTED" };
}
