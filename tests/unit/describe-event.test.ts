/** Audit events in words (issue 11, item 10): sentences for known actions, "<actor> <action> <target>" otherwise. */
import { describe, expect, it } from "vitest";
import { describeEvent, type DescribableEvent } from "../../app/(admin)/t/[tenant]/audit/describe-event.ts";

const maria = { type: "USER" as const, userId: 1, label: "maria@x.test", tokenName: null, name: "Maria Novak", email: "maria@x.test" };
const event = (e: Partial<DescribableEvent>): DescribableEvent => ({
  action: "member.added", actor: maria, target: { label: "Jo Berg", name: "Jo Berg", email: "jo@x.test" }, before: null, after: null, ...e,
});

describe("describeEvent", () => {
  it("should say who invited which address as which role", () => {
    expect(describeEvent(event({ action: "invitation.created", target: { label: "jo@x.test", name: null, email: "jo@x.test" }, after: { roles: ["worker"] } })))
      .toBe("Maria Novak invited jo@x.test as Worker");
  });

  it("should name the new roles by title on a role change", () => {
    const sam = { ...maria, name: "Sam Lee", email: "sam@x.test" };
    expect(describeEvent(event({ action: "member.roles_changed", actor: sam, after: { roles: [{ slug: "administrator", title: "Administrator" }] } })))
      .toBe("Sam Lee changed Jo Berg's roles to Administrator");
  });

  it("should name a removed member by the email the event recorded, and an unnamed actor by email", () => {
    const owner = { ...maria, name: null, email: "owner@x.test", label: "owner@x.test" };
    expect(describeEvent(event({ action: "member.removed", actor: owner, target: { label: "alex@x.test", name: null, email: "alex@x.test" } })))
      .toBe("owner@x.test removed alex@x.test");
  });

  it("should fall back to actor, action and target for an action without a sentence", () => {
    expect(describeEvent(event({ action: "security.denied", actor: { type: "SYSTEM", userId: null, label: "system", tokenName: null, name: null, email: null } })))
      .toBe("System security denied Jo Berg");
  });
});
