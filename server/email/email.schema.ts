/** Email payloads and statuses shared by the queue helper, the job handler and callers. */
import { z } from "zod";

export const EMAIL_KINDS = [
  "invitation",
  "client_invitation",
  "join_request_received",
  "join_request_accepted",
  "join_request_denied",
  "invitation_accepted",
  "two_factor_changed",
  "new_device_sign_in",
  "verify_email",
  "password_reset",
  "password_changed",
  "test",
] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

/** A message as callers hand it to queueEmail. */
export const ZEmailMessage = z.strictObject({
  to: z.string().trim().max(254).pipe(z.email()),
  subject: z
    .string()
    .min(1)
    .max(300)
    // A header value: no line breaks.
    .transform((s) => s.replace(/[\r\n]+/g, " ")),
  text: z.string().min(1).max(100_000),
  html: z.string().min(1).max(300_000),
  tenantId: z.number().int().positive().optional(),
  kind: z.enum(EMAIL_KINDS),
  refType: z.string().min(1).max(50).optional(),
  refId: z.string().min(1).max(100).optional(),
});
export type TEmailMessage = z.input<typeof ZEmailMessage>;

/**
 * A message whose body is rendered when it is sent (templated.ts), not when it is queued: rendering an email takes
 * milliseconds (React Email), which a request would otherwise spend, often inside its transaction. The subject is
 * known up front (the EmailDelivery row shows it); the props are the template's input, dates as ISO strings in JSON.
 */
export const ZEmailTemplate = z.discriminatedUnion("name", [
  z.strictObject({
    name: z.literal("invitation"),
    props: z.strictObject({
      tenantName: z.string(), inviterName: z.string().nullable(), roleTitle: z.string(), message: z.string().nullable(),
      acceptUrl: z.string(), expiresAt: z.coerce.date(),
    }),
  }),
  z.strictObject({
    name: z.literal("client_invitation"),
    props: z.strictObject({ tenantName: z.string(), inviterName: z.string().nullable(), message: z.string().nullable(), acceptUrl: z.string(), expiresAt: z.coerce.date() }),
  }),
  z.strictObject({
    name: z.literal("invitation_accepted"),
    props: z.strictObject({ tenantName: z.string(), inviteeName: z.string().nullable(), inviteeEmail: z.string(), memberUrl: z.string() }),
  }),
  z.strictObject({
    name: z.literal("join_request_accepted"),
    props: z.strictObject({ tenantName: z.string(), tenantUrl: z.string() }),
  }),
]);
export type TEmailTemplate = z.output<typeof ZEmailTemplate>;

/** A message rendered at send time: queueEmailSql takes it in place of text and html. */
export const ZTemplatedEmailMessage = ZEmailMessage.omit({ text: true, html: true }).extend({ template: ZEmailTemplate });
export type TTemplatedEmailMessage = z.input<typeof ZTemplatedEmailMessage>;

const ZDeliveryId = z.number().int().positive();

/** The sendEmail job payload: the message (rendered, or a template to render) plus the delivery row it reports to. */
export const ZSendEmailPayload = z.union([ZEmailMessage.extend({ deliveryId: ZDeliveryId }), ZTemplatedEmailMessage.extend({ deliveryId: ZDeliveryId })]);
export type TSendEmailPayload = z.output<typeof ZSendEmailPayload>;

export type DeliveryStatus = "queued" | "sent" | "failed" | "cancelled";

export type TDeliveryState = {
  status: DeliveryStatus;
  /** The last attempt's error (also while a retry is scheduled). */
  error: string | null;
  /** True when status is "failed" but another attempt is scheduled at nextAttemptAt. */
  retrying: boolean;
  nextAttemptAt: Date | null;
  attempts: number;
  sentAt: Date | null;
  deliveryId: number;
  updatedAt: Date;
};
