"use client";
/** A signed-in person's request to join, with an optional message (joinRequests.create). */
import { useState } from "react";
import { trpc } from "@/app/_trpc/react.tsx";

export function JoinForm({ tenant }: { tenant: string }) {
  const [message, setMessage] = useState("");
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const create = trpc.joinRequests.create.useMutation({
    onSuccess: () => setResult({ ok: true, text: "Your request was sent. You will get an email when an admin decides." }),
    onError: (e) => setResult({ ok: false, text: e.message }),
  });
  if (result?.ok) {
    return <p data-testid="join-result" role="status" className="mt-4 rounded-md bg-green-50 px-3 py-2 text-sm text-green-800">{result.text}</p>;
  }
  return (
    <form data-testid="join-form" className="mt-4 space-y-4" noValidate
      onSubmit={(e) => { e.preventDefault(); setResult(null); create.mutate({ tenant, message: message.trim() || null }); }}>
      {result && <p data-testid="join-result" role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{result.text}</p>}
      <div>
        <label htmlFor="join-message" className="block text-sm font-medium text-slate-700">Message to the admins (optional)</label>
        <textarea id="join-message" name="message" rows={4} maxLength={2000} value={message} onChange={(e) => setMessage(e.target.value)}
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-brand focus:ring-1 focus:ring-brand" />
      </div>
      <button type="submit" disabled={create.isPending}
        className="w-full rounded-md bg-brand px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-dark focus:outline-none focus-visible:ring-2 focus-visible:ring-brand focus-visible:ring-offset-2 disabled:opacity-60">
        {create.isPending ? "Sending…" : "Ask to join"}
      </button>
    </form>
  );
}
