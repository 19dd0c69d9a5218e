import { EmailLayout, Facts, P } from "./layout.tsx";
import { clean, formatDate, greeting, renderEmail, subjectLine, type RenderedEmail } from "./shared.ts";

/** To the account's address after a password change or reset. */
export function passwordChangedEmail(input: {
  name: string | null;
  when: Date;
  ip: string | null;
  device: string | null;
  /** Whether the change ended the person's other sessions (a reset always does; a change only when asked). */
  otherSessionsEnded: boolean;
}): Promise<RenderedEmail> {
  const subject = subjectLine("Your Roster password was changed");
  return renderEmail(
    subject,
    <EmailLayout subject={subject} preview="Your password was changed.">
      <P>{greeting(input.name)}</P>
      <P>
        Your Roster password was changed.{" "}
        {input.otherSessionsEnded ? "All your other sessions were signed out." : "Your other sessions stay signed in; you can sign them out from your account page."}
      </P>
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
