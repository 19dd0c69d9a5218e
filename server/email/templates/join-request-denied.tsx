import { EmailLayout, P } from "./layout.tsx";
import { clean, renderEmail, subjectLine, type RenderedEmail } from "./shared.ts";

/** To the requester: their join request was denied. */
export function joinRequestDeniedEmail(input: { tenantName: string }): Promise<RenderedEmail> {
  const tenant = clean(input.tenantName);
  const subject = subjectLine(`Your request to join ${tenant} was not accepted`);
  const intro = `Your request to join ${tenant} was not accepted. If you think this is a mistake, contact the organisation directly.`;
  return renderEmail(
    subject,
    <EmailLayout subject={subject} preview={intro}>
      <P>{intro}</P>
    </EmailLayout>,
  );
}
