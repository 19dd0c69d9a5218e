import { z } from "zod";
import { ZEmail } from "../../auth/email.schema.ts";
import { ZNewPassword } from "../../auth/password-policy.ts";

export const ZSessionInfo = z.object({
  id: z.number().int(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  /** "Chrome on Linux", from the user agent at sign-in; null when it was not recognised. */
  device: z.string().nullable(),
  createdAt: z.date(),
  lastSeenAt: z.date(),
  expiresAt: z.date(),
  current: z.boolean(),
});
export type TSessionInfo = z.infer<typeof ZSessionInfo>;

export const ZRevokeSessionInput = z.strictObject({ id: z.number().int().positive() });

export const ZMe = z.object({
  id: z.number().int(),
  email: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  displayName: z.string().nullable(),
  phone: z.string().nullable(),
  language: z.string(),
  lastLoginAt: z.date().nullable(),
  /** The person's avatar (app-relative URLs of the 256 px and 64 px squares), or null for none. */
  avatar: z.object({ url: z.string(), thumbnailUrl: z.string() }).nullable(),
  /** False until the person clicks the emailed verification link (then tenants show them their data). */
  emailVerified: z.boolean(),
});
export type TMe = z.infer<typeof ZMe>;

/** A second-factor code as typed: a 6-digit TOTP ("123 456" is fine) or a recovery code ("abcd-efgh-ijkl-mnop"). */
export const ZCode = z.string().trim().min(1, "is required").max(64);

export const ZTwoFactorStatus = z.object({
  enabled: z.boolean(),
  enabledAt: z.date().nullable(),
  /** An enrolment was started and waits for its first code. */
  pending: z.boolean(),
  recoveryCodesLeft: z.number().int(),
  /** Tenants the person belongs to that require two-factor (slug and name), so the page can say why. */
  requiredBy: z.array(z.object({ slug: z.string(), name: z.string() })),
});
export type TTwoFactorStatus = z.infer<typeof ZTwoFactorStatus>;

export const ZStartTwoFactorOutput = z.object({
  /** Base32, grouped by four, for typing into an authenticator app by hand. */
  secret: z.string(),
  otpauthUri: z.string(),
  /** The QR code of otpauthUri as an SVG data URL. */
  qrDataUrl: z.string(),
});
export type TStartTwoFactorOutput = z.infer<typeof ZStartTwoFactorOutput>;

export const ZConfirmTwoFactorInput = z.strictObject({ code: ZCode });
export type TConfirmTwoFactorInput = z.input<typeof ZConfirmTwoFactorInput>;

export const ZRecoveryCodesOutput = z.object({ recoveryCodes: z.array(z.string()) });
export type TRecoveryCodesOutput = z.infer<typeof ZRecoveryCodesOutput>;

/** Re-authentication: the password, or a second-factor code for an account with two-factor. */
export const ZReauthenticateInput = z.union([
  z.strictObject({ password: z.string().min(1, "is required").max(256) }),
  z.strictObject({ code: ZCode }),
]);
export type TReauthenticateInput = z.input<typeof ZReauthenticateInput>;

/** A raw token from an emailed link (verification or reset); its shape is checked again where it is looked up. */
const ZLinkToken = z.string().min(1, "is required").max(200);

export const ZVerifyEmailInput = z.strictObject({ token: ZLinkToken });
export type TVerifyEmailInput = z.input<typeof ZVerifyEmailInput>;

/** What a verification link did: verified now, or why not (expired, used or superseded, not a link at all). */
export const ZVerifyEmailOutput = z.object({
  state: z.enum(["verified", "expired", "used", "invalid"]),
  /** The account has no password yet (created by an operator or an integrator): the page offers to choose one. */
  needsPassword: z.boolean(),
});
export type TVerifyEmailOutput = z.infer<typeof ZVerifyEmailOutput>;

/** Anonymous requests by address (reset, verification): one neutral answer whatever the address. */
export const ZEmailRequestInput = z.strictObject({ email: ZEmail });
export type TEmailRequestInput = z.input<typeof ZEmailRequestInput>;
export const ZNeutralOutput = z.object({ message: z.string() });
export type TNeutralOutput = z.infer<typeof ZNeutralOutput>;

export const ZResendVerificationOutput = z.object({ sent: z.boolean(), alreadyVerified: z.boolean() });
export type TResendVerificationOutput = z.infer<typeof ZResendVerificationOutput>;

export const ZResetTokenInput = z.strictObject({ token: ZLinkToken });
export const ZResetTokenState = z.object({ state: z.enum(["valid", "expired", "used", "invalid"]) });
export type TResetTokenState = z.infer<typeof ZResetTokenState>;

export const ZResetPasswordInput = z.strictObject({ token: ZLinkToken, password: ZNewPassword });
export type TResetPasswordInput = z.input<typeof ZResetPasswordInput>;
export const ZResetPasswordOutput = z.object({ email: z.string() });

export const ZChangePasswordInput = z.strictObject({
  currentPassword: z.string().min(1, "is required").max(256),
  newPassword: ZNewPassword,
  /** "Sign out other sessions": checked by default on the page. */
  signOutOtherSessions: z.boolean().default(true),
});
export type TChangePasswordInput = z.input<typeof ZChangePasswordInput>;
export const ZChangePasswordOutput = z.object({ signedOut: z.number().int() });
export type TChangePasswordOutput = z.infer<typeof ZChangePasswordOutput>;
