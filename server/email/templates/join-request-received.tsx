import { Action, EmailLayout, P, Quote } from "./layout.tsx";
import { clean, renderEmail, subjectLine, type RenderedEmail } from "./shared.ts";

/** To a tenant's admins: someone asked to join; links to the pending inbox. */
export function joinRequestReceivedEmail(input: {
  tenantName: string;
  requesterName: string | null;
  requesterEmail: string;
  message?: string | null;
  inboxUrl: string;
}): Promise<RenderedEmail> {
  const tenant = clean(input.tenantName);
  const who = input.requesterName ? `${clean(input.requesterName)} (${clean(input.requesterEmail)})` : clean(input.requesterEmail);
  const message = input.message ? clean(input.message, true) : "";
  const subject = subjectLine(`New request to join ${tenant}`);
  const intro = `${who} asked to join ${tenant}.`;
  return renderEmail(
    subject,
    <EmailLayout subject={subject} preview={intro}>
      <P>{intro}</P>
      {message && (
        <>
          <P>Their message:</P>
          <Quote text={message} />
        </>
      )}
      <P>Accept or deny the request in the pending inbox.</P>
      <Action label="Open the pending inbox" url={input.inboxUrl} />
    </EmailLayout>,
  );
}
