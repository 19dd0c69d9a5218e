/**
 * Invites every address pasted into the admin app's invite form, all with the same kind, roles, unit and message,
 * and answers one outcome per distinct address: invited, already a member, already invited, or not a valid address.
 *
 * Per address, not all-or-nothing (unlike createInvitations, which integrators call with a list they built): a
 * person pasting forty addresses from a spreadsheet expects the good ones to go out and the odd ones to be named, not
 * one typo or one existing member to block the other thirty-nine and send them back to edit the list. So an
 * existing member, a live invitation or a malformed entry is an outcome, not an error, and each invitation is written
 * by the single invite's own statement (invitation, audit row and email together, atomic on their own). If the call
 * dies half-way, the invitations written are complete and audited, and pasting the same list again is safe: those
 * come back as "already invited". What fails the whole call, before anything is written: no members.invite, the rate
 * limit, more than MAX_PASTED_EMAILS entries, and presets the caller may not grant (the same for every address).
 */
import { assertCan, type Actor } from "../../authz/actor.ts";
import { ZEmail } from "../../auth/email.schema.ts";
import { DEFAULT_CLIENT_ROLE, DEFAULT_MEMBER_ROLE } from "../../authz/roles.ts";
import { tenantModel } from "../../authz/tenant-model.ts";
import type { Db } from "../../db/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { enforce, limit } from "../../security/rate-limit.ts";
import { parseInput } from "../parse.ts";
import { inTransaction, loadFacts, plan, refusingDuplicates, write, type Facts } from "./create-invitation.ts";
import { resolvePresets } from "./invitation-record.ts";
import {
  ZCreateInvitationInput, ZInviteEmailsInput, type TCreateInvitationData, type TInviteEmailsInput, type TInviteEmailsOutput,
} from "./invitations.schema.ts";
import { splitPastedEmails } from "./pasted-emails.schema.ts";

type Row = TInviteEmailsOutput["results"][number];

/** Invites each pasted address on its own and reports what became of each one. */
export async function inviteEmails(db: Db, actor: Actor, input: TInviteEmailsInput): Promise<TInviteEmailsOutput> {
  assertCan(actor, "members.invite");
  const data = parseInput(ZInviteEmailsInput, input);
  const rows: Row[] = [];
  const valid: { row: Row; item: TCreateInvitationData }[] = [];
  const seen = new Set<string>();
  for (const entry of splitPastedEmails(data.emails)) {
    const email = ZEmail.safeParse(entry);
    const key = email.success ? email.data : entry;
    // The same address twice (in any letter case) is one person: one row, one invitation.
    if (seen.has(key)) continue;
    seen.add(key);
    const row: Row = { email: key, outcome: "invalid", invitationId: null };
    rows.push(row);
    if (!email.success) continue;
    const item = parseInput(ZCreateInvitationInput, {
      email: email.data, kind: data.kind, roles: data.roles, unitGrants: data.unitGrants, message: data.message ?? null, sendEmail: true,
    });
    valid.push({ row, item });
  }
  if (valid.length === 0) return { results: rows };
  // INVITES_TENANT counts invitations, as for createInvitations: one point per address that may become one.
  await enforce(db, `invites:tenant:${actor.tenantId}`, limit("invitesTenant"), { cost: valid.length, what: "invitations for this tenant" });

  const now = new Date();
  const model = await tenantModel(db, actor.tenantId, actor.accessVersion);
  const facts: Facts[] = [];
  for (const { item } of valid) facts.push(await loadFacts(db, actor, item, now));
  // The presets are the same for every address: checked once, so a role above the caller's refuses the whole paste
  // (403) even when every address turns out to be a member already.
  const first = valid[0]!.item;
  const roles = first.roles.length ? first.roles : [first.kind === "CLIENT" ? DEFAULT_CLIENT_ROLE : DEFAULT_MEMBER_ROLE];
  const presets = await resolvePresets(db, actor, model, facts[0]!.units, { roles, unitGrants: first.unitGrants });

  for (const [i, { row, item }] of valid.entries()) {
    const f = facts[i]!;
    if (f.isMember) row.outcome = "already_member";
    else if (f.pending === "live") row.outcome = "already_invited";
    else {
      const planned = await plan(db, actor, model, item, f, now, "", presets);
      try {
        const out = f.pending === "stale"
          ? await inTransaction(db, (tx) => write(tx, actor, planned, now))
          : await refusingDuplicates(() => write(db, actor, planned, now));
        row.outcome = "invited";
        row.invitationId = out.invitation.id;
      } catch (e) {
        // Someone invited the same address between the read and this write: the unique index answered 409.
        if (e instanceof AppError && e.code === AppErrorCode.CONFLICT) row.outcome = "already_invited";
        else throw e;
      }
    }
  }
  return { results: rows };
}
