/**
 * The permission catalog ("rights"): data, not code paths. System permissions are what the console itself enforces
 * (`resource.action`); business rights are what integrators read (seed 000's categorised rights). Tenants may add
 * rights of their own (the Right table); those are merged in at runtime with the same shape.
 */

export type RightType = "BOOLEAN" | "INTEGER" | "ENTITY_ID" | "ID_LIST";
export type RightScope = "TENANT" | "UNIT";
export type RightValue = boolean | number | number[] | null;

export type RightDef = {
  slug: string;
  category: string;
  title: string;
  description: string;
  type: RightType;
  defaultValue: RightValue;
  scope: RightScope;
  dependsOn: readonly string[];
  system: boolean;
};

/** All-access and no-access values per type (seed 000's `type.all_access_value` / `no_access_value`). */
export const TYPE_VALUES: Record<RightType, { allAccess: RightValue; noAccess: RightValue; wireSlug: string }> = {
  BOOLEAN: { allAccess: true, noAccess: false, wireSlug: "has_group_access" },
  // -1 means unlimited.
  INTEGER: { allAccess: -1, noAccess: 0, wireSlug: "has_group_access" },
  // 0 means every entity; a positive id restricts to that one; null means none.
  ENTITY_ID: { allAccess: 0, noAccess: null, wireSlug: "allowed_id" },
  // [0] means every entity.
  ID_LIST: { allAccess: [0], noAccess: [], wireSlug: "allowed_id" },
};

export const SYSTEM_PERMISSIONS = [
  { slug: "members.read", title: "See members", description: "List members, their units and permissions." },
  { slug: "members.invite", title: "Invite members", description: "Send, resend and cancel invitations.", dependsOn: ["members.read"] },
  { slug: "members.update", title: "Change members", description: "Edit profiles, roles, unit access and permission values.", dependsOn: ["members.read"] },
  { slug: "members.remove", title: "Remove members", description: "Suspend members and remove them from the tenant or a unit.", dependsOn: ["members.read"] },
  { slug: "requests.manage", title: "Handle join requests", description: "Accept or deny requests to join the tenant.", dependsOn: ["members.read"] },
  { slug: "roles.manage", title: "Manage roles", description: "Create, edit and delete roles and tenant rights." },
  { slug: "units.manage", title: "Manage units", description: "Create, rename and archive locations, subsidiaries and projects." },
  { slug: "tokens.manage", title: "Manage API tokens", description: "Create and revoke the tenant's integration tokens." },
  { slug: "audit.read", title: "Read the audit log", description: "See who changed what, and when." },
  { slug: "settings.manage", title: "Manage tenant settings", description: "Invitation lifetime, join policy, allowed link origins." },
] as const satisfies ReadonlyArray<{ slug: `${string}.${string}`; title: string; description: string; dependsOn?: readonly string[] }>;

export type SystemPermission = (typeof SYSTEM_PERMISSIONS)[number]["slug"];

const b = (slug: string, category: string, title: string, description: string, dependsOn: string[] = []): RightDef => ({
  slug, category, title, description, type: "BOOLEAN", defaultValue: false, scope: "UNIT", dependsOn, system: false,
});

export const BUSINESS_RIGHTS: readonly RightDef[] = [
  b("timetable_access", "timetable", "Timetable", "See the timetable."),
  b("schedule_edit_access", "timetable", "Edit schedules", "Change team members' work schedules.", ["timetable_access"]),
  b("timetable_phones_access", "timetable", "Client phones in the timetable", "See client phone numbers in the timetable.", ["timetable_access"]),
  { slug: "master_id", category: "timetable", title: "Team member", description: "Whose timetable is visible (0 = everyone).", type: "ENTITY_ID", defaultValue: null, scope: "UNIT", dependsOn: ["timetable_access"], system: false },
  { slug: "position_id", category: "timetable", title: "Position", description: "Which position's timetable is visible (0 = all).", type: "ENTITY_ID", defaultValue: null, scope: "UNIT", dependsOn: ["timetable_access"], system: false },
  { slug: "last_days_count", category: "timetable", title: "Days of history", description: "How many past days of the timetable are visible (-1 = unlimited).", type: "INTEGER", defaultValue: 0, scope: "UNIT", dependsOn: ["timetable_access"], system: false },
  b("create_records_access", "record_form", "Create records", "Create appointments and records."),
  b("edit_records_access", "record_form", "Edit records", "Change existing records."),
  b("delete_paid_records_access", "record_form", "Delete paid records", "Delete records that were already paid.", ["edit_records_access"]),
  { slug: "records_goods_create_last_days_count", category: "record_form", title: "Days to add goods", description: "How many past days goods may be added to records (-1 = unlimited).", type: "INTEGER", defaultValue: 0, scope: "UNIT", dependsOn: ["edit_records_access"], system: false },
  b("clients_access", "clients", "Client base", "See the client base."),
  b("client_phones_access", "clients", "Client phones", "See client phone numbers.", ["clients_access"]),
  b("excel_access", "clients", "Export to Excel", "Export lists to spreadsheets."),
  b("finances_access", "finances", "Finances", "See financial operations."),
  b("billing_access", "finances", "Billing", "Manage the subscription and invoices."),
  b("storages_access", "finances", "Storages", "Manage stock and storages."),
  b("settings_access", "settings", "Settings", "Change location settings."),
  b("users_access", "settings", "Users", "Manage the location's users."),
  b("stat_access", "analytics", "Analytics", "See reports and statistics."),
  b("send_sms", "notifications", "Send SMS", "Send text messages to clients."),
];

export const SYSTEM_RIGHTS: readonly RightDef[] = SYSTEM_PERMISSIONS.map((p) => ({
  slug: p.slug,
  category: "console",
  title: p.title,
  description: p.description,
  type: "BOOLEAN" as const,
  defaultValue: false,
  scope: "TENANT" as const,
  dependsOn: "dependsOn" in p ? p.dependsOn : [],
  system: true,
}));

/** The built-in catalog, in display order. */
export const BUILTIN_CATALOG: readonly RightDef[] = [...SYSTEM_RIGHTS, ...BUSINESS_RIGHTS];

export const BUILTIN_BY_SLUG: ReadonlyMap<string, RightDef> = new Map(BUILTIN_CATALOG.map((r) => [r.slug, r]));

export const isSystemPermission = (slug: string): slug is SystemPermission => SYSTEM_PERMISSIONS.some((p) => p.slug === slug);
