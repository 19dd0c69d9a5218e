/** The shared frame and building blocks of every email. Everything here renders text through React (escaped). */
import { Body, Button, Container, Head, Hr, Html, Link, Preview, Text } from "@react-email/components";
import type { CSSProperties, ReactNode } from "react";
import { safeUrl } from "./shared.ts";

const body: CSSProperties = { margin: 0, padding: "24px", backgroundColor: "#f8fafc", fontFamily: "system-ui,-apple-system,Segoe UI,Roboto,sans-serif", color: "#0f172a" };
const card: CSSProperties = { maxWidth: "560px", margin: "0 auto", backgroundColor: "#ffffff", border: "1px solid #e2e8f0", borderRadius: "12px", padding: "24px" };
const para: CSSProperties = { margin: "0 0 16px", fontSize: "14px", lineHeight: "22px" };
const small: CSSProperties = { margin: "0 0 16px", fontSize: "12px", lineHeight: "18px", color: "#64748b" };
const quote: CSSProperties = { margin: "0 0 16px", padding: "8px 12px", borderLeft: "3px solid #cbd5e1", color: "#334155", fontSize: "14px", lineHeight: "22px" };
const button: CSSProperties = { display: "inline-block", padding: "10px 16px", backgroundColor: "#4f46e5", color: "#ffffff", borderRadius: "6px", textDecoration: "none", fontSize: "14px" };

export function EmailLayout({ subject, preview, children }: { subject: string; preview?: string; children: ReactNode }) {
  return (
    <Html lang="en">
      <Head>
        <title>{subject}</title>
      </Head>
      {preview && <Preview>{preview}</Preview>}
      <Body style={body}>
        <Container style={card}>
          {children}
          <Hr style={{ borderColor: "#e2e8f0", margin: "24px 0 12px" }} />
          <Text style={{ ...small, margin: 0 }}>Sent by Roster.</Text>
        </Container>
      </Body>
    </Html>
  );
}

/** Keeps the line breaks of a multi-line string as <br>. */
function Lines({ text }: { text: string }) {
  const lines = text.split("\n");
  return (
    <>
      {lines.map((l, i) => (
        <span key={i}>
          {i > 0 && <br />}
          {l}
        </span>
      ))}
    </>
  );
}

export function P({ children }: { children: ReactNode }) {
  return <Text style={para}>{typeof children === "string" ? <Lines text={children} /> : children}</Text>;
}

export function Small({ children }: { children: ReactNode }) {
  return <Text style={small}>{children}</Text>;
}

/** Someone's own words (an invitation or join-request message): quoted, "> " lines in the text part. */
export function Quote({ text }: { text: string }) {
  return (
    <blockquote style={quote}>
      <Lines text={text} />
    </blockquote>
  );
}

/** The email's one action: a button, then the address spelled out for clients that hide buttons (not in text). */
export function Action({ label, url }: { label: string; url: string }) {
  const href = safeUrl(url);
  return (
    <>
      <Text style={para}>
        <Button href={href} style={button}>
          {label}
        </Button>
      </Text>
      <Text style={small} data-skip-in-text="true">
        Or open this link: <Link href={href}>{href}</Link>
      </Text>
    </>
  );
}

/** Facts about an event (when, where from, device), one per line. */
export function Facts({ items }: { items: Array<[string, string | null | undefined]> }) {
  const shown = items.filter((i): i is [string, string] => !!i[1]);
  if (shown.length === 0) return null;
  return (
    <Text style={para}>
      {shown.map(([k, v], i) => (
        <span key={k}>
          {i > 0 && <br />}
          {k}: {v}
        </span>
      ))}
    </Text>
  );
}
