import { EmailLayout, Facts, P } from "./layout.tsx";
import { clean, formatDate, greeting, renderEmail, subjectLine, type RenderedEmail } from "./shared.ts";

/** To the account's address when two-factor authentication is turned on or off. */
export function twoFactorChangedEmail(input: { name: string | null; enabled: boolean; when: Date; ip: string | null }): Promise<RenderedEmail> {
  const what = input.enabled ? "turned on" : "turned off";
  const subject = subjectLine(`Two-factor authentication was ${what}`);
  return renderEmail(
    subject,
    <EmailLayout subject={subject} preview={`Two-factor authentication was ${what}.`}>
      <P>{greeting(input.name)}</P>
      <P>
        {input.enabled
          ? "Two-factor authentication was turned on for your Roster account. Signing in now also asks for a code from your authenticator app. Keep your recovery codes somewhere safe."
          : "Two-factor authentication was turned off for your Roster account. Signing in now asks only for your password."}
      </P>
      <Facts
        items={[
          ["When", formatDate(input.when)],
          ["IP address", input.ip ? clean(input.ip) : null],
        ]}
      />
      <P>If it was not you, reset your password now from the sign-in page and turn two-factor authentication back on.</P>
    </EmailLayout>,
  );
}
