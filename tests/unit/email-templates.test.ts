/** Templates (React Email, async) escape what people typed, keep text plain, and links come only from the configured or allowed base. */
import { describe, expect, it } from "vitest";
import { AppError } from "../../server/errors.ts";
import { buildLink, isAllowedLinkBase } from "../../server/email/links.ts";
import {
  clientInvitationEmail,
  escapeHtml,
  invitationAcceptedEmail,
  invitationEmail,
  joinRequestAcceptedEmail,
  joinRequestDeniedEmail,
  joinRequestReceivedEmail,
  newDeviceSignInEmail,
  passwordChangedEmail,
  passwordResetEmail,
  twoFactorChangedEmail,
  verifyEmailEmail,
  type RenderedEmail,
} from "../../server/email/templates/index.ts";

const EVIL = `<script>alert("pwned")</script><img src=x onerror=alert(1)>`;
const base = {
  tenantName: `Acme ${EVIL}`,
  inviterName: `Eve ${EVIL}`,
  message: `Hi!\n${EVIL}`,
  acceptUrl: "https://roster.test/invite/rs_inv_abc?x=1&y=2",
  expiresAt: new Date("2030-01-02T03:04:00Z"),
};

describe("email templates", () => {
  it("should escape a <script> in the inviter message, names and tenant in html and keep them plain in text", async () => {
    const e = await invitationEmail({ ...base, roleTitle: `Boss ${EVIL}` });
    expect(e.html).not.toContain("<script>");
    expect(e.html).not.toContain("<img");
    expect(e.html).toContain("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;");
    expect(e.text).toContain(EVIL);
    expect(e.text).toContain("https://roster.test/invite/rs_inv_abc?x=1&y=2");
    expect(e.html).toContain('href="https://roster.test/invite/rs_inv_abc?x=1&amp;y=2"');
    expect(e.text).toContain("2 January 2030");
    expect(e.subject).not.toMatch(/[\r\n]/);
  });

  it("should quote the inviter's message line by line in text and keep its line breaks in html", async () => {
    const e = await invitationEmail({ ...base, roleTitle: "Manager", message: "Welcome aboard!\nSee you Monday." });
    expect(e.text).toMatch(/^> Welcome aboard!\n> See you Monday\.$/m);
    expect(e.html).toMatch(/Welcome aboard!(<\/span>)?<span><br\/?>See you Monday\./);
    // The "or open this link" repeat is for HTML clients only: the text part names the link once, beside its label.
    expect(e.text.match(/rs_inv_abc/g)).toHaveLength(1);
    expect(e.text).toContain("Accept the invitation https://roster.test/invite/rs_inv_abc?x=1&y=2");
  });

  it("should render each email as a whole HTML document with a plain-text part", async () => {
    const e = await joinRequestDeniedEmail({ tenantName: "Acme" });
    expect(e.html).toMatch(/^<!DOCTYPE html/);
    expect(e.html).toContain("<title>Your request to join Acme was not accepted</title>");
    expect(e.text).not.toMatch(/<[a-z]/i);
    expect(e.text).toContain("Your request to join Acme was not accepted.");
    expect(e.text).toContain("Sent by Roster.");
  });

  it("should never let user text escape in any template", async () => {
    const when = new Date("2030-01-02T03:04:00Z");
    const all: RenderedEmail[] = await Promise.all([
      clientInvitationEmail(base),
      joinRequestReceivedEmail({ tenantName: base.tenantName, requesterName: EVIL, requesterEmail: "a@b.test", message: EVIL, inboxUrl: "https://roster.test/t/acme/pending" }),
      joinRequestAcceptedEmail({ tenantName: base.tenantName, tenantUrl: "https://roster.test/t/acme" }),
      joinRequestDeniedEmail({ tenantName: base.tenantName }),
      invitationAcceptedEmail({ tenantName: base.tenantName, inviteeName: EVIL, inviteeEmail: "a@b.test", memberUrl: "https://roster.test/t/acme/members/1" }),
      verifyEmailEmail({ name: EVIL, verifyUrl: "https://roster.test/verify/x", expiresHours: 24 }),
      passwordResetEmail({ name: EVIL, resetUrl: "https://roster.test/reset/x", expiresMinutes: 30 }),
      passwordChangedEmail({ name: EVIL, when, ip: EVIL, device: EVIL, otherSessionsEnded: true }),
      newDeviceSignInEmail({ name: EVIL, device: EVIL, ip: EVIL, when, sessionsUrl: "https://roster.test/account" }),
      twoFactorChangedEmail({ name: EVIL, enabled: true, when, ip: EVIL }),
    ]);
    for (const e of all) {
      expect(e.html).not.toMatch(/<script|<img/);
      expect(e.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
      // Shown verbatim in the text part: it is text there, not markup.
      expect(e.text).toContain("<img src=x onerror=alert(1)>");
      expect(e.subject.length).toBeGreaterThan(0);
      expect(e.subject).not.toMatch(/[\u0000-\u001F]/);
    }
  });

  it("should show a person named <img src=x onerror=alert(1)> as text in html and verbatim in text", async () => {
    const name = "<img src=x onerror=alert(1)>";
    const e = await passwordResetEmail({ name, resetUrl: "https://roster.test/reset/x", expiresMinutes: 30 });
    expect(e.html).toContain("Hi &lt;img src=x onerror=alert(1)&gt;,");
    expect(e.html).not.toContain("<img");
    expect(e.text).toContain(`Hi ${name},`);
    const t = await invitationAcceptedEmail({ tenantName: name, inviteeName: name, inviteeEmail: "a@b.test", memberUrl: "https://roster.test/t/x/members/1" });
    expect(t.subject).toBe(`${name} (a@b.test) accepted your invitation to ${name}`);
    expect(t.html).not.toContain("<img");
    expect(t.text).toContain(`${name} (a@b.test) accepted your invitation and joined ${name}.`);
  });

  it("should strip line breaks and control characters from subjects (no header injection)", async () => {
    const e = await joinRequestDeniedEmail({ tenantName: "Acme\r\nBcc: victim@example.test" });
    expect(e.subject).not.toMatch(/[\r\n]/);
    const d = await newDeviceSignInEmail({ name: null, device: "Evil\r\nBcc: x@y.test\u0007", ip: null, when: new Date(), sessionsUrl: "https://roster.test/account" });
    expect(d.subject).toBe("New sign-in to Roster from Evil  Bcc: x@y.test");
  });

  it("should refuse non-http links", async () => {
    await expect(invitationEmail({ ...base, roleTitle: "x", acceptUrl: "javascript:alert(1)" })).rejects.toThrow(/http/);
    await expect(passwordResetEmail({ name: null, resetUrl: "javascript:alert(1)", expiresMinutes: 30 })).rejects.toThrow(/http/);
    await expect(verifyEmailEmail({ name: null, verifyUrl: "data:text/html,x", expiresHours: 24 })).rejects.toThrow(/http/);
    await expect(newDeviceSignInEmail({ name: null, device: "d", ip: null, when: new Date(), sessionsUrl: "javascript:x" })).rejects.toThrow(/http/);
  });

  it("should escape the five HTML metacharacters", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  });
});

describe("account emails", () => {
  const when = new Date("2030-01-02T03:04:00Z");

  it("should ask to confirm the address with a button, the link in text, and the lifetime", async () => {
    const e = await verifyEmailEmail({ name: "Ada", verifyUrl: "https://roster.test/verify-email?token=abc", expiresHours: 24 });
    expect(e.subject).toBe("Confirm your email address");
    expect(e.html).toContain('href="https://roster.test/verify-email?token=abc"');
    expect(e.html).toContain(">Confirm your email address<");
    expect(e.text).toContain("Hi Ada,");
    expect(e.text).toContain("https://roster.test/verify-email?token=abc");
    expect(e.text).toContain("expires in 24 hours");
  });

  it("should send the reset link, its lifetime, and say to ignore it if they did not ask", async () => {
    const e = await passwordResetEmail({ name: null, resetUrl: "https://roster.test/reset?token=abc", expiresMinutes: 30 });
    expect(e.subject).toBe("Reset your Roster password");
    expect(e.html).toContain('href="https://roster.test/reset?token=abc"');
    expect(e.text).toContain("Hi,");
    expect(e.text).toContain("https://roster.test/reset?token=abc");
    expect(e.text).toContain("expires in 30 minutes");
    expect(e.text).toContain("If you did not ask for this, ignore this email");
  });

  it("should say the password changed, other sessions were signed out, and what to do if it was not them", async () => {
    const e = await passwordChangedEmail({ name: "Ada", when, ip: "203.0.113.7", device: "Firefox on Linux", otherSessionsEnded: true });
    expect(e.subject).toBe("Your Roster password was changed");
    expect(e.text).toContain("All your other sessions were signed out.");
    expect(e.text).toContain("When: 2 January 2030 at 03:04 UTC");
    expect(e.text).toContain("Device: Firefox on Linux");
    expect(e.text).toContain("IP address: 203.0.113.7");
    expect(e.text).toContain("If it was not you, reset your password");
    const bare = await passwordChangedEmail({ name: null, when, ip: null, device: null, otherSessionsEnded: false });
    expect(bare.text).not.toContain("IP address");
    expect(bare.text).not.toContain("Device:");
    // A change that kept the other sessions must not claim they ended.
    expect(bare.text).not.toContain("were signed out");
    expect(bare.text).toContain("Your other sessions stay signed in");
  });

  it("should name the new device, IP and time, and link to the sessions page", async () => {
    const e = await newDeviceSignInEmail({ name: "Ada", device: "Chrome on macOS", ip: "198.51.100.2", when, sessionsUrl: "https://roster.test/account" });
    expect(e.subject).toBe("New sign-in to Roster from Chrome on macOS");
    expect(e.html).toContain('href="https://roster.test/account"');
    expect(e.text).toContain("Device: Chrome on macOS");
    expect(e.text).toContain("IP address: 198.51.100.2");
    expect(e.text).toContain("2 January 2030");
    expect(e.text).toContain("https://roster.test/account");
  });

  it("should say whether two-factor was turned on or off", async () => {
    const on = await twoFactorChangedEmail({ name: "Ada", enabled: true, when, ip: "203.0.113.7" });
    const off = await twoFactorChangedEmail({ name: "Ada", enabled: false, when, ip: null });
    expect(on.subject).toBe("Two-factor authentication was turned on");
    expect(off.subject).toBe("Two-factor authentication was turned off");
    expect(on.text).toContain("IP address: 203.0.113.7");
    expect(off.text).not.toContain("IP address");
    expect(off.text).toContain("If it was not you");
  });
});

describe("links", () => {
  const pub = "https://roster.example.com";

  it("should build links on the configured public URL", () => {
    expect(buildLink(pub, "/invite/abc")).toBe("https://roster.example.com/invite/abc");
    expect(buildLink("https://example.com/roster/", "/join/acme")).toBe("https://example.com/roster/join/acme");
  });

  it("should refuse paths that could leave the app", () => {
    expect(() => buildLink(pub, "//evil.test/x")).toThrow();
    expect(() => buildLink(pub, "https://evil.test/x")).toThrow();
    expect(() => buildLink(pub, "/\\evil.test")).toThrow();
  });

  it("should accept a caller's base only when its origin is allow-listed", () => {
    expect(buildLink(pub, "/invite/abc", { base: "https://partner.test/accept", allowedOrigins: ["https://partner.test"] })).toBe(
      "https://partner.test/accept/invite/abc",
    );
    expect(buildLink(pub, "/invite/abc", { base: "https://roster.example.com/x" })).toBe("https://roster.example.com/x/invite/abc");
    const refused = () => buildLink(pub, "/invite/abc", { base: "https://evil.test", allowedOrigins: ["https://partner.test"] });
    expect(refused).toThrow(AppError);
    try {
      refused();
    } catch (e) {
      expect((e as AppError).code).toBe("UNPROCESSABLE");
    }
    expect(isAllowedLinkBase(pub, "https://partner.test.evil.test", ["https://partner.test"])).toBe(false);
    expect(isAllowedLinkBase(pub, "https://user:pw@partner.test", ["https://partner.test"])).toBe(false);
    expect(isAllowedLinkBase(pub, "https://partner.test/?next=x", ["https://partner.test"])).toBe(false);
    expect(isAllowedLinkBase(pub, "javascript:alert(1)", ["https://partner.test"])).toBe(false);
    expect(isAllowedLinkBase(pub, "http://partner.test", ["https://partner.test"])).toBe(false);
  });
});
