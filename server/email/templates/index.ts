// All templates are async: `await invitationEmail(...)` etc. return Promise<RenderedEmail> ({ subject, text, html }).
/**
 * Email templates as React Email components, one file per email over a shared layout. Every string a person typed
 * (tenant, user and device names, inviter messages) is rendered as text by React, so it is escaped in `html` and
 * verbatim in `text`; subjects are cleaned of control characters; links must be http(s) (built by the caller with
 * appLink()). Templates are pure: no configuration, no database.
 */
export { escapeHtml, type RenderedEmail } from "./shared.ts";
export { invitationEmail, clientInvitationEmail, invitationSubject, type InvitationInput } from "./invitation.tsx";
export { joinRequestReceivedEmail } from "./join-request-received.tsx";
export { joinRequestAcceptedEmail, joinRequestAcceptedSubject } from "./join-request-accepted.tsx";
export { joinRequestDeniedEmail } from "./join-request-denied.tsx";
export { invitationAcceptedEmail, invitationAcceptedSubject } from "./invitation-accepted.tsx";
export { verifyEmailEmail } from "./verify-email.tsx";
export { passwordResetEmail } from "./password-reset.tsx";
export { passwordChangedEmail } from "./password-changed.tsx";
export { newDeviceSignInEmail } from "./new-device-sign-in.tsx";
export { twoFactorChangedEmail } from "./two-factor-changed.tsx";
