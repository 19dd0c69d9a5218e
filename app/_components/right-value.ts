/** How a permission value reads to a person; the meaning of 0 and -1 depends on the right's type. */
export type RightTypeName = "BOOLEAN" | "INTEGER" | "ENTITY_ID" | "ID_LIST" | "GROUP";

export function formatRightValue(type: RightTypeName, v: unknown, style: { yes: string; no: string; unlimited: string } = { yes: "yes", no: "no", unlimited: "unlimited" }): string {
  if (v === null || v === undefined || v === false) return style.no;
  if (v === true) return style.yes;
  switch (type) {
    case "INTEGER":
      return v === -1 ? style.unlimited : v === 0 ? style.no : `${String(v)} days`.replace(/^1 days$/, "1 day");
    case "ENTITY_ID":
      return v === 0 ? "all" : `#${String(v)}`;
    case "ID_LIST":
      return Array.isArray(v) ? (v.includes(0) ? "all" : v.length === 0 ? style.no : v.map((x) => `#${String(x)}`).join(", ")) : String(v);
    default:
      return String(v);
  }
}
