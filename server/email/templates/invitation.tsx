import { Action, EmailLayout, P, Quote } from "./layout.tsx";
import { clean, formatDate, renderEmail, subjectLine, type RenderedEmail } from "./shared.ts";

export type InvitationInput = {
  tenantName: string;
  inviterName: string | null;
  /** The preset role's title (member invitations). */
  roleTitle: string;
  message?: string | null;
  acceptUrl: string;
  expiresAt: Date;
};

/** The invitation's subject alone (cheap: no rendering), the same the rendered email carries. */
export function invitationSubject(input: { tenantName: string }, client: boolean): string {
  const tenant = clean(input.tenantName);
  return subjectLine(client ? `You are invited to ${tenant} as a client` : `You are invited to join ${tenant}`);
}

function invitation(input: Omit<InvitationInput, "roleTitle"> & { roleTitle: string | null }, client: boolean): Promise<RenderedEmail> {
  const tenant = clean(input.tenantName);
  const inviter = input.inviterName ? clean(input.inviterName) : null;
  const role = input.roleTitle ? clean(input.roleTitle) : null;
  const message = input.message ? clean(input.message, true) : "";
  const who = inviter ? `${inviter} invited you` : "You are invited";
  const what = client ? `to ${tenant} as a client` : `to join ${tenant}${role ? ` as ${role}` : ""}`;
  const intro = `${who} ${what} on Roster.`;
  const subject = invitationSubject(input, client);
  return renderEmail(
    subject,
    <EmailLayout subject={subject} preview={intro}>
      <P>{intro}</P>
      {message && (
        <>
          <P>{`Message from ${inviter ?? "the inviter"}:`}</P>
          <Quote text={message} />
        </>
      )}
      <Action label="Accept the invitation" url={input.acceptUrl} />
      <P>{`The invitation expires on ${formatDate(input.expiresAt)}.`}</P>
      <P>If you did not expect this invitation, you can ignore this email.</P>
    </EmailLayout>,
  );
}

/** To an invited member: tenant, inviter, role, optional message, accept link, expiry. */
export function invitationEmail(input: InvitationInput): Promise<RenderedEmail> {
  return invitation(input, false);
}

/** To an invited client user (seed 003 invite/client). */
export function clientInvitationEmail(input: Omit<InvitationInput, "roleTitle">): Promise<RenderedEmail> {
  return invitation({ ...input, roleTitle: null }, true);
}
