/** The one table of field labels (server/services/labels.schema.ts) that the admin app's messages name fields by. */
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { FIELD_LABELS, labelFor, labelledMessage } from "../../server/services/labels.schema.ts";
import { ZCreateInvitationInput } from "../../server/services/invitations/invitations.schema.ts";
import { ZCreateRightInput, ZCreateRoleInput } from "../../server/services/roles/roles.schema.ts";
import { ZUpdateTenantSettingsInput } from "../../server/services/settings/settings.schema.ts";
import { ZCreateUnitInput } from "../../server/services/units/units.schema.ts";

const keysOf = (schema: z.ZodType): string[] => {
  const def = (schema as unknown as { def: { type: string; shape?: Record<string, unknown>; in?: z.ZodType } }).def;
  if (def.shape) return Object.keys(def.shape);
  if (def.in) return keysOf(def.in);
  throw new Error(`not an object schema: ${def.type}`);
};

describe("labelFor", () => {
  it.each([
    ["invitationTtlDays", "Invitation lifetime (days)"],
    ["allowedLinkOrigins[0]", "Allowed link origins, entry 1"],
    ["ref.email", "Email"],
    ["unitGrants[0].unitId", "Unit, entry 1"],
    ["items[1].email", "Email, entry 2"],
    ["someNewField", "Some new field"],
  ] as const)("should name %s as %s", (path, label) => {
    expect(labelFor(path)).toBe(label);
  });

  it("should put the label before the problem in a banner message", () => {
    expect(labelledMessage("invitationTtlDays", "must be between 1 and 30 days")).toBe("Invitation lifetime (days): must be between 1 and 30 days");
  });

  it.each([
    ["settings", ZUpdateTenantSettingsInput],
    ["invitation", ZCreateInvitationInput],
    ["role", ZCreateRoleInput],
    ["right", ZCreateRightInput],
    ["unit", ZCreateUnitInput],
  ] as const)("should have a label for every field of the %s form's input", (_name, schema) => {
    const missing = keysOf(schema).filter((k) => !(k in FIELD_LABELS));
    expect(missing).toEqual([]);
  });
});
