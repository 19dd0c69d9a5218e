import { Action, EmailLayout, P } from "./layout.tsx";
import { greeting, renderEmail, subjectLine, type RenderedEmail } from "./shared.ts";

const minutes = (n: number) => (n === 1 ? "1 minute" : `${n} minutes`);

/** To the account's address: a link to choose a new password. */
export function passwordResetEmail(input: { name: string | null; resetUrl: string; expiresMinutes: number }): Promise<RenderedEmail> {
  const subject = subjectLine("Reset your Roster password");
  return renderEmail(
    subject,
    <EmailLayout subject={subject} preview="Choose a new password for Roster.">
      <P>{greeting(input.name)}</P>
      <P>Someone asked to reset the password of your Roster account. Choose a new password with this link:</P>
      <Action label="Choose a new password" url={input.resetUrl} />
      <P>{`The link works once and expires in ${minutes(input.expiresMinutes)}.`}</P>
      <P>If you did not ask for this, ignore this email: your password stays as it is.</P>
    </EmailLayout>,
  );
}
