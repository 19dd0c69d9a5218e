/** The SMTP sink used by email tests receives and parses what nodemailer sends (no app code sends mail yet). */
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtpSink, type SmtpSink } from "../helpers/smtp.ts";

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(() => sink?.stop());

describe("SMTP sink", () => {
  it("should receive a message sent by nodemailer with its sender, recipient, subject and text", async () => {
    const transport = nodemailer.createTransport(sink.url);
    const info = await transport.sendMail({
      from: "Roster <no-reply@roster.test>",
      to: "ada@example.test",
      subject: "You are invited to Acme",
      text: "Open https://roster.test/invite/rs_inv_abc to accept.",
    });
    expect(info.accepted).toEqual(["ada@example.test"]);

    const [mail] = await sink.waitFor(1);
    expect(mail?.subject).toBe("You are invited to Acme");
    expect(mail?.from?.value).toEqual([{ address: "no-reply@roster.test", name: "Roster" }]);
    expect(mail?.to && !Array.isArray(mail.to) ? mail.to.value : null).toEqual([{ address: "ada@example.test", name: "" }]);
    expect(mail?.text?.trim()).toBe("Open https://roster.test/invite/rs_inv_abc to accept.");
  });
});
