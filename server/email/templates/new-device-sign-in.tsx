import { Action, EmailLayout, Facts, P } from "./layout.tsx";
import { clean, formatDate, greeting, renderEmail, subjectLine, type RenderedEmail } from "./shared.ts";

/** To the account's address: a sign-in from a device not seen before. */
export function newDeviceSignInEmail(input: { name: string | null; device: string; ip: string | null; when: Date; sessionsUrl: string }): Promise<RenderedEmail> {
  const device = clean(input.device) || "Unknown device";
  const subject = subjectLine(`New sign-in to Roster from ${device}`);
  return renderEmail(
    subject,
    <EmailLayout subject={subject} preview={`New sign-in from ${device}.`}>
      <P>{greeting(input.name)}</P>
      <P>Your Roster account was just signed in to from a new device.</P>
      <Facts
        items={[
          ["When", formatDate(input.when)],
          ["Device", device],
          ["IP address", input.ip ? clean(input.ip) : null],
        ]}
      />
      <P>If this was you, there is nothing to do. If not, sign that session out and change your password.</P>
      <Action label="Review where you are signed in" url={input.sessionsUrl} />
    </EmailLayout>,
  );
}
