/** Emails rendered when they are sent (the sendEmail job), from a template name and its props (email.schema.ts). */
import type { TEmailTemplate } from "./email.schema.ts";
import { clientInvitationEmail, invitationAcceptedEmail, invitationEmail, joinRequestAcceptedEmail, type RenderedEmail } from "./templates/index.ts";

export function renderTemplate(t: TEmailTemplate): Promise<RenderedEmail> {
  switch (t.name) {
    case "invitation":
      return invitationEmail(t.props);
    case "client_invitation":
      return clientInvitationEmail(t.props);
    case "invitation_accepted":
      return invitationAcceptedEmail(t.props);
    case "join_request_accepted":
      return joinRequestAcceptedEmail(t.props);
  }
}
