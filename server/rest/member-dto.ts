/**
 * Seed 003's Member, exactly: ids as decimal strings, `id` is the person's user id, `verified` is a verified email,
 * `projectAccess` / `subsidiaryAccess` list the units of that kind the member has accepted access to (archived
 * units left out), and `profile.logo` is null (people have no logo in Roster).
 */
import type { TMember } from "../services/members/members.schema.ts";
import type { TInvitation } from "../services/invitations/invitations.schema.ts";
import type { TJoinRequest } from "../services/join-requests/join-requests.schema.ts";
import type { ActiveMemberRow } from "../services/members/list-active-members.ts";

export type Blob003 = { blobId: string; thumbnailBlobId: string; width: number; height: number };
export type Member003 = {
  id: string;
  tenantId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  language: string;
  lastLogin: string | null;
  verified: boolean;
  status: "ACTIVE" | "SUSPENDED";
  hasFullAccess: boolean;
  roles: string[];
  projectAccess: string[];
  subsidiaryAccess: string[];
  profile: { displayName: string | null; avatar: Blob003 | null; logo: Blob003 | null };
};

/** A stored avatar in the seed's shape, or null when it is missing or not that shape. */
function toBlob(value: unknown): Blob003 | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  if (typeof v.blobId !== "string" || typeof v.width !== "number" || typeof v.height !== "number") return null;
  return { blobId: v.blobId, thumbnailBlobId: typeof v.thumbnailBlobId === "string" ? v.thumbnailBlobId : v.blobId, width: v.width, height: v.height };
}

const unitIds = (m: TMember, kind: "PROJECT" | "SUBSIDIARY") =>
  m.units.filter((u) => u.kind === kind && u.status === "ACTIVE" && !u.archived).map((u) => String(u.unitId));

export function toMember003(m: TMember): Member003 {
  return {
    id: String(m.userId),
    tenantId: String(m.tenantId),
    email: m.email,
    firstName: m.firstName,
    lastName: m.lastName,
    language: m.language,
    lastLogin: m.lastLoginAt ? m.lastLoginAt.toISOString() : null,
    verified: m.verified,
    status: m.status,
    hasFullAccess: m.hasFullAccess,
    roles: m.roles,
    projectAccess: unitIds(m, "PROJECT"),
    subsidiaryAccess: unitIds(m, "SUBSIDIARY"),
    profile: { displayName: m.displayName, avatar: toBlob(m.avatar), logo: null },
  };
}

/** toMember003 for listActiveMembers' rows (same keys, order and rules), serialised for the streamed list. */
export function activeMember003Json(m: ActiveMemberRow): string {
  const member: Member003 = {
    id: String(m.userId),
    tenantId: String(m.tenantId),
    email: m.email,
    firstName: m.firstName,
    lastName: m.lastName,
    language: m.language,
    lastLogin: m.lastLoginAt ? m.lastLoginAt.toISOString() : null,
    verified: m.verified,
    status: m.status,
    hasFullAccess: m.hasFullAccess,
    roles: m.roles,
    projectAccess: m.projectIds.map(String),
    subsidiaryAccess: m.subsidiaryIds.map(String),
    profile: { displayName: m.displayName, avatar: toBlob(m.avatar), logo: null },
  };
  return JSON.stringify(member);
}

/**
 * The `{email}` path segment as the person typed it. Next hands route params over still percent-encoded in some
 * versions and decoded in others; decoding only what looks encoded covers both (an email never contains `%`).
 * Normalisation (trim, lower-case) happens in the service's ZEmail, like everywhere else.
 */
export function emailParam(raw: string): string {
  if (!raw.includes("%")) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * Seed 003's Member for an invited person (status INVITED), as WIRE.md fixes it: only what the inviter gave. `id` is
 * the invitation's id (never the person's user id), names, last sign-in and profile are null, `verified` is false and
 * `language` the default, whether or not the address already has an account somewhere: anything read from that
 * account would tell any inviter who is registered and who they are (issue 9). Preset roles, no unit access yet
 * (access starts at acceptance).
 */

export type InvitedMember003 = Omit<Member003, "status" | "profile"> & { status: "INVITED"; profile: null; inviteUrl?: string };

export const INVITED_LANGUAGE = "en";

export function toInvitedMember003(inv: TInvitation, inviteUrl: string | null = null): InvitedMember003 {
  return {
    id: String(inv.id),
    tenantId: String(inv.tenantId),
    email: inv.email ?? "",
    firstName: null,
    lastName: null,
    language: INVITED_LANGUAGE,
    lastLogin: null,
    verified: false,
    status: "INVITED",
    hasFullAccess: false,
    roles: inv.roles,
    projectAccess: [],
    subsidiaryAccess: [],
    profile: null,
    ...(inviteUrl ? { inviteUrl } : {}),
  };
}

/**
 * Seed 003's Member for a join request (no membership yet): server/rest/member-dto.ts's toMember003 reads a
 * membership and its status type allows only ACTIVE and SUSPENDED, so a requester is mapped here through the same
 * function (identical keys and field rules) with `status: "REQUESTED"`, no roles, no units, no full access.
 */

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
