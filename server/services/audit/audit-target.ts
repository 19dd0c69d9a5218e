/**
 * An audit event's target in words, from what the list's statement joined and, when the target is gone (a removed
 * member, a cancelled-then-purged invitation, a deleted role), from what the event itself recorded in before/after.
 * Never an internal id: an admin reads "Jo Berg", not "membership #40".
 */
export type TargetFacts = {
  targetType: string; targetId: string | null; before: unknown; after: unknown;
  userEmail: string | null; userDisplayName: string | null; userFirstName: string | null; userLastName: string | null;
  invitationEmail: string | null; invitationPhone: string | null;
  unitName: string | null; roleTitle: string | null; rightTitle: string | null; targetTokenName: string | null; tenantName: string | null;
};

type Named = { displayName?: string | null; firstName?: string | null; lastName?: string | null };

/** The name a person goes by, or null when they gave none (the caller shows the email instead). */
export const personName = (u: Named): string | null =>
  u.displayName?.trim() || [u.firstName, u.lastName].filter((s) => s && s.trim()).join(" ") || null;

const record = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown) => (typeof v === "string" && v.trim() ? v : null);

/** The first of these string fields that before or after recorded. */
function recorded(f: TargetFacts, ...keys: string[]): string | null {
  for (const side of [f.after, f.before]) {
    const o = record(side);
    for (const k of keys) if (str(o[k])) return str(o[k]);
  }
  return null;
}

/** A generic word for a target without a name of its own. */
const NOUNS: Record<string, string> = {
  membership: "a member", invitation: "an invitation", join_request: "a join request", unit: "a unit", role: "a role",
  right: "a right", api_token: "an API token", tenant: "the tenant", user: "a person", session: "a session",
};

export function describeTarget(f: TargetFacts): { label: string; name: string | null; email: string | null } {
  const noun = NOUNS[f.targetType] ?? f.targetType.replace(/_/g, " ");
  switch (f.targetType) {
    case "membership":
    case "join_request":
    case "user":
    case "invitation": {
      const joined = f.userEmail !== null;
      const name = joined
        ? personName({ displayName: f.userDisplayName, firstName: f.userFirstName, lastName: f.userLastName })
        : personName({ firstName: recorded(f, "firstName"), lastName: recorded(f, "lastName") });
      const email = f.userEmail ?? f.invitationEmail ?? recorded(f, "email");
      const phone = email ? null : (f.invitationPhone ?? recorded(f, "phone"));
      return { label: name ?? email ?? phone ?? noun, name, email };
    }
    case "unit":
      return { label: f.unitName ?? recorded(f, "name") ?? noun, name: null, email: null };
    case "role":
      return { label: f.roleTitle ?? recorded(f, "title", "slug") ?? noun, name: null, email: null };
    case "right":
      return { label: f.rightTitle ?? recorded(f, "title", "slug") ?? noun, name: null, email: null };
    case "api_token":
      return { label: f.targetTokenName ?? recorded(f, "name") ?? noun, name: null, email: null };
    case "tenant":
      return { label: f.tenantName ?? noun, name: null, email: null };
    default:
      return { label: noun, name: null, email: null };
  }
}
