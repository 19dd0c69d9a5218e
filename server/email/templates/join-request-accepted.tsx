import { Action, EmailLayout, P } from "./layout.tsx";
import { clean, renderEmail, subjectLine, type RenderedEmail } from "./shared.ts";

/** The notice's subject alone (cheap: no rendering), the same the rendered email carries. */
export function joinRequestAcceptedSubject(input: { tenantName: string }): string {
  return subjectLine(`Your request to join ${clean(input.tenantName)} was accepted`);
}

/** To the requester: their join request was accepted. */
export function joinRequestAcceptedEmail(input: { tenantName: string; tenantUrl: string }): Promise<RenderedEmail> {
  const tenant = clean(input.tenantName);
  const subject = joinRequestAcceptedSubject(input);
  const intro = `Your request to join ${tenant} was accepted. You are now a member.`;
  return renderEmail(
    subject,
    <EmailLayout subject={subject} preview={intro}>
      <P>{intro}</P>
      <Action label={`Open ${tenant}`} url={input.tenantUrl} />
    </EmailLayout>,
  );
}
