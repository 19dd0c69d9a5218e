/**
 * An audit event as a sentence for people ("Maria Novak invited jo@x.test as Worker"). Pure, so the overview (server)
 * and the audit table (browser) say the same thing. Actions without a sentence of their own read
 * "<actor> <action> <target>", so a new action is never shown as nothing.
 */
type Person = { name: string | null; email: string | null };
export type DescribableEvent = {
  action: string;
  actor: { type: "USER" | "TOKEN" | "SYSTEM"; userId: number | null; label: string; tokenName: string | null } & Person;
  target: { label: string } & Person;
  before: unknown;
  after: unknown;
};

const record = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const text = (v: unknown) => (typeof v === "string" && v ? v : null);
/** A role slug as people read it, when the event recorded only the slug ("custom-lead" → "Custom lead"). */
const titleOfSlug = (slug: string) => slug.charAt(0).toUpperCase() + slug.slice(1).replace(/[-_]/g, " ");
const list = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? "no role") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;

/** Role titles from before/after: `[{ slug, title }]`, `["slug"]` or `{ role: "slug" }`, whichever the action recorded. */
function roles(side: unknown): string {
  const o = record(side);
  const raw = Array.isArray(o.roles) ? o.roles : text(o.role) ? [o.role] : [];
  return list(raw.map((r) => text(record(r).title) ?? (typeof r === "string" ? titleOfSlug(r) : "?")));
}

/** The actor in words: a person by name (else email), a token by name, else the system. */
export function actorWords(a: DescribableEvent["actor"]): string {
  if (a.type === "SYSTEM") return "System";
  if (a.userId !== null) return a.name ?? a.email ?? a.label;
  return `The token “${a.tokenName ?? a.label}”`;
}

const humanAction = (action: string) => action.replace(/[._]/g, " ");

export function describeEvent(e: DescribableEvent): string {
  const who = actorWords(e.actor);
  const t = e.target.label;
  const person = e.target.name ?? e.target.email ?? t;
  const before = record(e.before);
  const after = record(e.after);
  const sentences: Record<string, () => string> = {
    "tenant.created": () => `${who} created the tenant ${t}`,
    "tenant.settings_changed": () => `${who} changed the tenant settings`,
    "unit.created": () => `${who} created the unit ${t}`,
    "unit.renamed": () => `${who} renamed the unit ${text(before.name) ?? t} to ${text(after.name) ?? t}`,
    "unit.archived": () => `${who} archived the unit ${t}`,
    "unit.restored": () => `${who} restored the unit ${t}`,
    "member.added": () => `${who} added ${person} as ${roles(after)}`,
    "members.imported": () => `${who} imported members`,
    "member.profile_changed": () => `${who} changed ${person}'s profile`,
    "member.roles_changed": () => `${who} changed ${person}'s roles to ${roles(after)}`,
    "member.full_access_changed": () => (after.hasFullAccess === true ? `${who} gave ${person} access to every unit` : `${who} limited ${person} to the units granted`),
    "member.suspended": () => `${who} suspended ${person}`,
    "member.reactivated": () => `${who} reactivated ${person}`,
    "member.removed": () => `${who} removed ${e.target.email ?? person}`,
    "member.left": () => `${who} left the tenant`,
    "member.unit_access_changed": () => `${who} changed ${person}'s unit access`,
    "member.unit_removed": () => `${who} removed ${person} from a unit`,
    "member.copied_to_units": () => `${who} copied ${person}'s access to other units`,
    "member.removed_from_units": () => `${who} removed ${person} from units`,
    "invitation.created": () => `${who} invited ${e.target.email ?? t} as ${roles(after)}`,
    "invitation.resent": () => `${who} resent the invitation to ${e.target.email ?? t}`,
    "invitation.cancelled": () => `${who} cancelled the invitation to ${e.target.email ?? t}`,
    "invitation.accepted": () => `${who} accepted the invitation`,
    "invitation.declined": () => `${who} declined the invitation`,
    "invitation.expired": () => `The invitation to ${e.target.email ?? t} expired`,
    "join_request.created": () => `${who} asked to join`,
    "join_request.accepted": () => `${who} accepted ${person}'s request to join as ${roles(after)}`,
    "join_request.denied": () => `${who} denied ${person}'s request to join`,
    "role.created": () => `${who} created the role ${t}`,
    "role.updated": () => `${who} changed the role ${t}`,
    "role.deleted": () => `${who} deleted the role ${t}`,
    "right.created": () => `${who} created the right ${t}`,
    "right.updated": () => `${who} changed the right ${t}`,
    "right.deleted": () => `${who} deleted the right ${t}`,
    "api_token.created": () => `${who} created the API token ${t}`,
    "api_token.revoked": () => `${who} revoked the API token ${t}`,
    "user_token.issued": () => `${who} issued a user token`,
    "user.signed_up": () => `${who} signed up`,
  };
  return sentences[e.action]?.() ?? `${who} ${humanAction(e.action)} ${t}`;
}
