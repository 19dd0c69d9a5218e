/**
 * Built-in roles as grant tables (ARCHITECTURE.md §2). Every tenant gets a copy at creation so it can tune the
 * defaults; `owner` stays fixed. Role slugs are compared only inside server/authz.
 */
import { BUSINESS_RIGHTS, SYSTEM_PERMISSIONS, TYPE_VALUES, type RightValue, type SystemPermission } from "./catalog.ts";

export type BuiltinRoleSlug = "owner" | "administrator" | "manager" | "accountant" | "worker" | "client";

export type BuiltinRole = {
  slug: BuiltinRoleSlug;
  title: string;
  description: string;
  weight: number;
  defaults: Record<string, RightValue>;
};

const allAccess = (slugs: Iterable<string>): Record<string, RightValue> => {
  const out: Record<string, RightValue> = {};
  for (const slug of slugs) {
    const def = BUSINESS_RIGHTS.find((r) => r.slug === slug);
    out[slug] = def ? TYPE_VALUES[def.type].allAccess : true;
  }
  return out;
};
const inCategories = (...cats: string[]) => BUSINESS_RIGHTS.filter((r) => cats.includes(r.category)).map((r) => r.slug);
const everySystem = SYSTEM_PERMISSIONS.map((p) => p.slug) as SystemPermission[];
const everyBusiness = BUSINESS_RIGHTS.map((r) => r.slug);

export const BUILTIN_ROLES: readonly BuiltinRole[] = [
  {
    slug: "owner",
    title: "Owner",
    description: "Full control of the tenant, every unit included, also units created later.",
    weight: 100,
    defaults: allAccess([...everySystem, ...everyBusiness]),
  },
  {
    slug: "administrator",
    title: "Administrator",
    description: "Runs the tenant day to day; cannot manage roles or API tokens, and grants only below its own rank.",
    weight: 80,
    defaults: allAccess([...everySystem.filter((p) => p !== "roles.manage" && p !== "tokens.manage"), ...everyBusiness]),
  },
  {
    slug: "manager",
    title: "Manager",
    description: "Invites people, handles join requests, runs the timetable, records and clients.",
    weight: 60,
    defaults: allAccess([
      "members.read", "members.invite", "requests.manage", "audit.read",
      ...inCategories("timetable", "record_form", "clients"), "stat_access", "send_sms",
    ]),
  },
  {
    slug: "accountant",
    title: "Accountant",
    description: "Sees members and handles finances and reports.",
    weight: 40,
    defaults: allAccess(["members.read", ...inCategories("finances"), "excel_access", "stat_access"]),
  },
  {
    slug: "worker",
    title: "Worker",
    description: "Works the timetable and creates records.",
    weight: 20,
    defaults: allAccess(["timetable_access", "create_records_access"]),
  },
  {
    slug: "client",
    title: "Client",
    description: "An external user who sees only what the tenant grants.",
    weight: 10,
    defaults: {},
  },
];

export const OWNER_ROLE: BuiltinRoleSlug = "owner";
export const DEFAULT_MEMBER_ROLE: BuiltinRoleSlug = "worker";
export const DEFAULT_CLIENT_ROLE: BuiltinRoleSlug = "client";

export const isOwnerRole = (slug: string) => slug === OWNER_ROLE;
