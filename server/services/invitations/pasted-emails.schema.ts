/**
 * Splitting a pasted list of email addresses, shared by the invite form (its live count) and the service (the rule).
 * Deliberately free of zod: the admin page imports it statically, and zod must stay out of its first-load JS.
 */

/** The most addresses one paste may invite: a result list a person can still read, and one request's worth of work. */
export const MAX_PASTED_EMAILS = 100;

/** Room for the cap at the longest legal address (254) plus a name and separators; longer text is refused unread. */
export const MAX_PASTED_CHARS = MAX_PASTED_EMAILS * 320;

/**
 * The entries of a paste in order: one per line, or separated by commas or semicolons; `Name <address>` (what a mail
 * client copies) gives the address. Blank entries vanish; everything else is kept as typed for the service to judge,
 * so a typo comes back as "not a valid address" next to what was typed instead of silently disappearing.
 */
export function splitPastedEmails(text: string): string[] {
  return text
    .split(/[\n\r,;]+/)
    .map((entry) => {
      const angled = /<([^<>]*)>\s*$/.exec(entry);
      return (angled ? angled[1]! : entry).trim();
    })
    .filter((entry) => entry !== "");
}
