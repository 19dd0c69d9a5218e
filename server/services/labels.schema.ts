/**
 * The one table from input field paths to the labels people see on the forms, so a failed check in the admin app
 * reads "Invitation lifetime (days): must be between 1 and 30 days", never "Invalid invitationTtlDays". The tRPC
 * door and the form layer use it; the REST door keeps naming the wire field (integrators read the field name).
 * Keys are paths without list indexes ("unitGrants.unitId"); a key applies to every schema that has the field, so
 * the same name must mean the same thing everywhere (a unit test checks every form schema's fields have a label).
 */
import { SETTINGS_LABELS } from "./settings/settings.schema.ts";
import { INVITATION_LABELS } from "./invitations/invitations.schema.ts";
import { ROLE_LABELS } from "./roles/roles.schema.ts";
import { UNIT_LABELS } from "./units/units.schema.ts";

/** Fields that many inputs share, and the account and sign-in forms'. */
const COMMON_LABELS = {
  email: "Email",
  phone: "Phone",
  password: "Password",
  currentPassword: "Current password",
  newPassword: "New password",
  firstName: "First name",
  lastName: "Last name",
  displayName: "Display name",
  language: "Language",
  name: "Name",
  message: "Message",
  title: "Title",
  description: "Description",
  cursor: "Page position",
  code: "Code",
  tenant: "Tenant",
} as const;

export const FIELD_LABELS: Readonly<Record<string, string>> = {
  ...COMMON_LABELS,
  ...SETTINGS_LABELS,
  ...INVITATION_LABELS,
  ...ROLE_LABELS,
  ...UNIT_LABELS,
};

/** Splits "items[1].email" into ["items", 1, "email"]. */
function segments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

/** "invitationTtlDays" as "Invitation ttl days": a last resort for a field missing from the table. */
function humanise(key: string): string {
  const words = key.replace(/[_-]+/g, " ").replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : "This field";
}

/**
 * The label of a field path as written by formatPath ("allowedLinkOrigins[1]", "unitGrants[0].unitId"): the
 * whole path's entry, else its last name's, else the name made readable. A list index is named after the label
 * ("Allowed link origins, entry 2"), so the person can find the line.
 */
export function labelFor(path: string): string {
  const parts = segments(path);
  const names = parts.filter((p): p is string => typeof p === "string");
  const index = parts.findLast((p): p is number => typeof p === "number");
  const key = names.join(".");
  const last = names.at(-1) ?? "";
  const base = FIELD_LABELS[key] ?? FIELD_LABELS[last] ?? (last ? humanise(last) : "This form");
  return index === undefined ? base : `${base}, entry ${index + 1}`;
}

/** A field's problem as one sentence for a banner: "Email: must be a single valid email address". */
export function labelledMessage(path: string, message: string): string {
  return `${labelFor(path)}: ${message}`;
}
