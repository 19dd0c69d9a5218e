import { EmailLayout, Facts, P } from "./layout.tsx";
import { clean, formatDate, greeting, renderEmail, subjectLine, type RenderedEmail } from "./shared.ts";

/** To the account's address after a password change or reset. */
export function passwordChangedEmail(input: { name: string | null; when: Date; ip: string | null; device: string | null }): Promise<RenderedEmail> {
  const subject = subjectLine("Your Roster password was changed");
  return renderEmail(
    subject,
    <EmailLayout subject={subject} preview="Your password was changed.">
      <P>{greeting(input.name)}</P>
      <P>Your Roster password was changed. All your other sessions were signed out.</P>
      <Facts
        items={[
          ["When", formatDate(input.when)],
          ["Device", input.device ? clean(input.device) : null],
          ["IP address", input.ip ? clean(input.ip) : null],
        ]}
      />
      <P>If it was not you, reset your password now from the sign-in page and check where you are signed in.</P>
    </EmailLayout>,
  );
}
