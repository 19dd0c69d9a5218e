import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { auth } from "@/server/auth/index.ts";
import { isOutboxEnabled, listDevOutbox } from "@/server/email/outbox.ts";
import { getEnv } from "@/server/env.ts";

export const metadata: Metadata = { title: "Dev outbox" };

const URL_PATTERN = /(https?:\/\/[^\s<>"']+)/g;

/** The text body with its http(s) links made clickable (React escapes everything else). */
function LinkedText({ text }: { text: string }) {
  const parts = text.split(URL_PATTERN);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <a key={i} href={part} className="break-all text-brand underline underline-offset-2">
            {part}
          </a>
        ) : (
          <span key={i}>{part}</span>
        ),
      )}
    </>
  );
}

/** Local mode only (embedded database, no SMTP_URL): the emails the app would have sent. */
export default async function OutboxPage() {
  if (!isOutboxEnabled(getEnv())) notFound();
  const session = await auth();
  if (!session) redirect("/signin?callbackUrl=%2Fdev%2Foutbox");
  const { messages, all } = await listDevOutbox({ userId: session.user.id, email: session.user.email }, { limit: 100 });
  return (
    <div className="min-h-screen">
      <header className="flex items-center justify-between border-b border-slate-200 bg-white px-4 py-2">
        <Link href="/" className="text-lg font-bold text-brand">Roster</Link>
      </header>
      <main id="main" className="mx-auto max-w-3xl px-4 py-8">
        <h1 className="text-2xl font-semibold">Dev outbox</h1>
        <p className="mt-1 text-sm text-slate-600">
          SMTP_URL is not set, so emails are kept here instead of being sent. Newest first.
          {all ? " As a tenant owner you see every message." : " You see the messages addressed to you."}
        </p>
        {messages.length === 0 ? (
          <p className="mt-6 rounded-xl border border-slate-200 bg-white p-5 text-sm text-slate-600">No messages yet.</p>
        ) : (
          <ul className="mt-6 space-y-4">
            {messages.map((m) => (
              <li key={m.id} data-testid="outbox-message" className="rounded-xl border border-slate-200 bg-white p-5">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <h2 className="text-base font-semibold">{m.subject}</h2>
                  <time dateTime={m.createdAt.toISOString()} className="text-xs text-slate-600">
                    {m.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC
                  </time>
                </div>
                <p className="mt-1 text-sm text-slate-600">To: {m.to}</p>
                <pre className="mt-3 whitespace-pre-wrap break-words font-sans text-sm text-slate-800">
                  <LinkedText text={m.text} />
                </pre>
              </li>
            ))}
          </ul>
        )}
      </main>
    </div>
  );
}
