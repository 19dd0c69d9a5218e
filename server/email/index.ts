/** Email: the public surface for services (queue in the caller's transaction, look up delivery status, templates). */
export { queueEmail, cancelQueuedEmails } from "./queue-email.ts";
export { emailJobs, emailJobDeps } from "./send-email-job.ts";
export { latestDeliveryStatus, latestDeliveryStatuses, getDeliveryStatus } from "./delivery-status.ts";
export { appLink, buildLink, isAllowedLinkBase, type LinkOptions } from "./links.ts";
// Templates are async: `await verifyEmailEmail(...)` returns { subject, text, html } (React Email, ./templates/).
export * from "./templates/index.ts";
export type { TEmailMessage, TTemplatedEmailMessage, TDeliveryState, DeliveryStatus, EmailKind } from "./email.schema.ts";
