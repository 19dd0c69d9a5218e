import { Action, EmailLayout, P } from "./layout.tsx";
import { clean, renderEmail, subjectLine, type RenderedEmail } from "./shared.ts";

type AcceptedInput = { tenantName: string; inviteeName: string | null; inviteeEmail: string; memberUrl: string };

const inviteeOf = (input: Pick<AcceptedInput, "inviteeName" | "inviteeEmail">) =>
  input.inviteeName ? `${clean(input.inviteeName)} (${clean(input.inviteeEmail)})` : clean(input.inviteeEmail);

/** The notice's subject alone (cheap: no rendering), the same the rendered email carries. */
export function invitationAcceptedSubject(input: Pick<AcceptedInput, "tenantName" | "inviteeName" | "inviteeEmail">): string {
  return subjectLine(`${inviteeOf(input)} accepted your invitation to ${clean(input.tenantName)}`);
}

/** To the inviter: the invitation was accepted. */
export function invitationAcceptedEmail(input: AcceptedInput): Promise<RenderedEmail> {
  const tenant = clean(input.tenantName);
  const who = inviteeOf(input);
  const subject = invitationAcceptedSubject(input);
  const intro = `${who} accepted your invitation and joined ${tenant}.`;
  return renderEmail(
    subject,
    <EmailLayout subject={subject} preview={intro}>
      <P>{intro}</P>
      <Action label="View the member" url={input.memberUrl} />
    </EmailLayout>,
  );
}
