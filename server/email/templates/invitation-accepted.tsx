import { Action, EmailLayout, P } from "./layout.tsx";
import { clean, renderEmail, subjectLine, type RenderedEmail } from "./shared.ts";

/** To the inviter: the invitation was accepted. */
export function invitationAcceptedEmail(input: {
  tenantName: string;
  inviteeName: string | null;
  inviteeEmail: string;
  memberUrl: string;
}): Promise<RenderedEmail> {
  const tenant = clean(input.tenantName);
  const who = input.inviteeName ? `${clean(input.inviteeName)} (${clean(input.inviteeEmail)})` : clean(input.inviteeEmail);
  const subject = subjectLine(`${who} accepted your invitation to ${tenant}`);
  const intro = `${who} accepted your invitation and joined ${tenant}.`;
  return renderEmail(
    subject,
    <EmailLayout subject={subject} preview={intro}>
      <P>{intro}</P>
      <Action label="View the member" url={input.memberUrl} />
    </EmailLayout>,
  );
}
