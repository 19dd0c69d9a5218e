/**
 * Email templates: plain functions returning { subject, text, html }. Every string that a person typed (tenant
 * names, user names, inviter messages) is HTML-escaped in `html` and kept as-is in `text`; links are built by the
 * caller with appLink() and must be http(s). Templates are pure: no configuration, no database.
 */
export type RenderedEmail = { subject: string; text: string; html: string };

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Drops control characters (keeping line breaks in multi-line fields) so nothing odd reaches a header or a body. */
function clean(s: string, multiline = false): string {
  const noCtl = s.replace(multiline ? /[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F]/g : /[\u0000-\u001F\u007F]/g, multiline ? "" : " ");
  return multiline ? noCtl.replace(/\r\n?/g, "\n").trim() : noCtl.trim();
}

function safeUrl(url: string): string {
  const u = new URL(url);
  if (u.protocol !== "https:" && u.protocol !== "http:") throw new Error(`email link must be http(s), got ${u.protocol}`);
  return u.toString();
}

function formatDate(d: Date): string {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(d) + " UTC";
}

function subjectLine(s: string): string {
  return clean(s).slice(0, 250);
}

/** One paragraph of escaped text; line breaks become <br>. */
function p(text: string): string {
  return `<p style="margin:0 0 16px">${escapeHtml(text).replace(/\n/g, "<br>")}</p>`;
}

function quote(text: string): string {
  return `<blockquote style="margin:0 0 16px;padding:8px 12px;border-left:3px solid #cbd5e1;color:#334155">${escapeHtml(text).replace(/\n/g, "<br>")}</blockquote>`;
}

function button(label: string, url: string): string {
  const href = escapeHtml(safeUrl(url));
  return `<p style="margin:0 0 16px"><a href="${href}" style="display:inline-block;padding:10px 16px;background:#4f46e5;color:#ffffff;border-radius:6px;text-decoration:none">${escapeHtml(label)}</a></p>
<p style="margin:0 0 16px;font-size:12px;color:#64748b">Or open this link: <a href="${href}">${escapeHtml(safeUrl(url))}</a></p>`;
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;padding:24px;background:#f8fafc;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#0f172a">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #e2e8f0;border-radius:12px;padding:24px">
${body}
<p style="margin:24px 0 0;font-size:12px;color:#64748b">Sent by Roster.</p>
</div></body></html>`;
}

function quotedText(text: string): string {
  return text
    .split("\n")
    .map((l) => `> ${l}`)
    .join("\n");
}

type InvitationInput = {
  tenantName: string;
  inviterName: string | null;
  /** The preset role's title (member invitations). */
  roleTitle: string;
  message?: string | null;
  acceptUrl: string;
  expiresAt: Date;
};

function invitation(input: Omit<InvitationInput, "roleTitle"> & { roleTitle: string | null }, client: boolean): RenderedEmail {
  const tenant = clean(input.tenantName);
  const inviter = input.inviterName ? clean(input.inviterName) : null;
  const role = input.roleTitle ? clean(input.roleTitle) : null;
  const message = input.message ? clean(input.message, true) : "";
  const who = inviter ? `${inviter} invited you` : "You are invited";
  const what = client ? `to ${tenant} as a client` : `to join ${tenant}${role ? ` as ${role}` : ""}`;
  const intro = `${who} ${what} on Roster.`;
  const expires = `The invitation expires on ${formatDate(input.expiresAt)}.`;
  const ignore = "If you did not expect this invitation, you can ignore this email.";
  const subject = subjectLine(client ? `You are invited to ${tenant} as a client` : `You are invited to join ${tenant}`);
  const text = [
    intro,
    ...(message ? ["", `Message from ${inviter ?? "the inviter"}:`, quotedText(message)] : []),
    "",
    `Accept the invitation: ${safeUrl(input.acceptUrl)}`,
    "",
    expires,
    ignore,
  ].join("\n");
  const html = layout(
    subject,
    [
      p(intro),
      ...(message ? [p(`Message from ${inviter ?? "the inviter"}:`), quote(message)] : []),
      button("Accept the invitation", input.acceptUrl),
      p(expires),
      p(ignore),
    ].join("\n"),
  );
  return { subject, text, html };
}

/** To an invited member: tenant, inviter, role, optional message, accept link, expiry. */
export function invitationEmail(input: InvitationInput): RenderedEmail {
  return invitation(input, false);
}

/** To an invited client user (seed 003 invite/client). */
export function clientInvitationEmail(input: Omit<InvitationInput, "roleTitle">): RenderedEmail {
  return invitation({ ...input, roleTitle: null }, true);
}

/** To a tenant's admins: someone asked to join; links to the pending inbox. */
export function joinRequestReceivedEmail(input: {
  tenantName: string;
  requesterName: string | null;
  requesterEmail: string;
  message?: string | null;
  inboxUrl: string;
}): RenderedEmail {
  const tenant = clean(input.tenantName);
  const who = input.requesterName ? `${clean(input.requesterName)} (${clean(input.requesterEmail)})` : clean(input.requesterEmail);
  const message = input.message ? clean(input.message, true) : "";
  const subject = subjectLine(`New request to join ${tenant}`);
  const intro = `${who} asked to join ${tenant}.`;
  const action = "Accept or deny the request in the pending inbox.";
  const text = [intro, ...(message ? ["", "Their message:", quotedText(message)] : []), "", `${action} ${safeUrl(input.inboxUrl)}`].join("\n");
  const html = layout(subject, [p(intro), ...(message ? [p("Their message:"), quote(message)] : []), p(action), button("Open the pending inbox", input.inboxUrl)].join("\n"));
  return { subject, text, html };
}

/** To the requester: their join request was accepted. */
export function joinRequestAcceptedEmail(input: { tenantName: string; tenantUrl: string }): RenderedEmail {
  const tenant = clean(input.tenantName);
  const subject = subjectLine(`Your request to join ${tenant} was accepted`);
  const intro = `Your request to join ${tenant} was accepted. You are now a member.`;
  const text = [intro, "", `Open ${tenant}: ${safeUrl(input.tenantUrl)}`].join("\n");
  const html = layout(subject, [p(intro), button(`Open ${tenant}`, input.tenantUrl)].join("\n"));
  return { subject, text, html };
}

/** To the requester: their join request was denied. */
export function joinRequestDeniedEmail(input: { tenantName: string }): RenderedEmail {
  const tenant = clean(input.tenantName);
  const subject = subjectLine(`Your request to join ${tenant} was not accepted`);
  const intro = `Your request to join ${tenant} was not accepted. If you think this is a mistake, contact the organisation directly.`;
  return { subject, text: intro, html: layout(subject, p(intro)) };
}

/** To the inviter: the invitation was accepted. */
export function invitationAcceptedEmail(input: {
  tenantName: string;
  inviteeName: string | null;
  inviteeEmail: string;
  memberUrl: string;
}): RenderedEmail {
  const tenant = clean(input.tenantName);
  const who = input.inviteeName ? `${clean(input.inviteeName)} (${clean(input.inviteeEmail)})` : clean(input.inviteeEmail);
  const subject = subjectLine(`${who} accepted your invitation to ${tenant}`);
  const intro = `${who} accepted your invitation and joined ${tenant}.`;
  const text = [intro, "", `View the member: ${safeUrl(input.memberUrl)}`].join("\n");
  const html = layout(subject, [p(intro), button("View the member", input.memberUrl)].join("\n"));
  return { subject, text, html };
}
