import { Action, EmailLayout, P } from "./layout.tsx";
import { greeting, renderEmail, subjectLine, type RenderedEmail } from "./shared.ts";

const hours = (n: number) => (n === 1 ? "1 hour" : `${n} hours`);

/** To a new or changed address: confirm it is theirs. */
export function verifyEmailEmail(input: { name: string | null; verifyUrl: string; expiresHours: number }): Promise<RenderedEmail> {
  const subject = subjectLine("Confirm your email address");
  return renderEmail(
    subject,
    <EmailLayout subject={subject} preview="Confirm your email address for Roster.">
      <P>{greeting(input.name)}</P>
      <P>Confirm that this email address is yours to finish setting up your Roster account.</P>
      <Action label="Confirm your email address" url={input.verifyUrl} />
      <P>{`The link works once and expires in ${hours(input.expiresHours)}.`}</P>
      <P>If you did not create a Roster account or change your address, you can ignore this email.</P>
    </EmailLayout>,
  );
}
