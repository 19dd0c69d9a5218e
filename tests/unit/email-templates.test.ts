/** Templates escape what people typed, keep text plain, and links come only from the configured or allowed base. */
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
} from "../../server/email/templates.ts";

const EVIL = `<script>alert("pwned")</script><img src=x onerror=alert(1)>`;
const base = {
  tenantName: `Acme ${EVIL}`,
  inviterName: `Eve ${EVIL}`,
  message: `Hi!\n${EVIL}`,
  acceptUrl: "https://roster.test/invite/rs_inv_abc?x=1&y=2",
  expiresAt: new Date("2030-01-02T03:04:00Z"),
};

describe("email templates", () => {
  it("should escape a <script> in the inviter message, names and tenant in html and keep them plain in text", () => {
    const e = invitationEmail({ ...base, roleTitle: `Boss ${EVIL}` });
    expect(e.html).not.toContain("<script>");
    expect(e.html).not.toContain("<img");
    expect(e.html).toContain("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;");
    expect(e.text).toContain(EVIL);
    expect(e.text).toContain("https://roster.test/invite/rs_inv_abc?x=1&y=2");
    expect(e.html).toContain('href="https://roster.test/invite/rs_inv_abc?x=1&amp;y=2"');
    expect(e.text).toContain("2 January 2030");
    expect(e.subject).not.toMatch(/[\r\n]/);
  });

  it("should never let user text escape in any template", () => {
    const all = [
      clientInvitationEmail(base),
      joinRequestReceivedEmail({ tenantName: base.tenantName, requesterName: EVIL, requesterEmail: "a@b.test", message: EVIL, inboxUrl: "https://roster.test/t/acme/pending" }),
      joinRequestAcceptedEmail({ tenantName: base.tenantName, tenantUrl: "https://roster.test/t/acme" }),
      joinRequestDeniedEmail({ tenantName: base.tenantName }),
      invitationAcceptedEmail({ tenantName: base.tenantName, inviteeName: EVIL, inviteeEmail: "a@b.test", memberUrl: "https://roster.test/t/acme/members/1" }),
    ];
    for (const e of all) {
      expect(e.html).not.toMatch(/<script|<img/);
      expect(e.subject.length).toBeGreaterThan(0);
      expect(e.text.length).toBeGreaterThan(0);
    }
  });

  it("should strip line breaks from subjects (no header injection)", () => {
    const e = joinRequestDeniedEmail({ tenantName: "Acme\r\nBcc: victim@example.test" });
    expect(e.subject).not.toMatch(/[\r\n]/);
  });

  it("should refuse non-http links", () => {
    expect(() => invitationEmail({ ...base, roleTitle: "x", acceptUrl: "javascript:alert(1)" })).toThrow(/http/);
  });

  it("should escape the five HTML metacharacters", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
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
