"use client";
/**
 * Upload or remove the avatar. The file goes up as the raw body of POST /account/avatar (too big for a tRPC call),
 * where it is re-encoded; the 2 MB limit is checked here first only to spare a pointless upload, the server decides.
 */
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { Alert, Notice } from "@/app/_components/ui/alert.tsx";
import { Button } from "@/app/_components/ui/button.tsx";
import { trpc } from "@/app/_trpc/react.tsx";

const MAX_BYTES = 2 * 1024 * 1024;
const ACCEPT = "image/jpeg,image/png,image/webp,image/gif,image/avif";

export function AvatarEditor({ avatarUrl, initials }: { avatarUrl: string | null; initials: string }) {
  const router = useRouter();
  const utils = trpc.useUtils();
  const inputId = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const remove = trpc.account.removeAvatar.useMutation();

  async function done(text: string) {
    setMessage({ ok: true, text });
    await utils.account.me.invalidate();
    router.refresh();
  }

  async function upload(file: File) {
    setMessage(null);
    if (file.size > MAX_BYTES) return setMessage({ ok: false, text: "The picture is larger than 2 MB. Choose a smaller file." });
    setBusy(true);
    try {
      const res = await fetch("/account/avatar", { method: "POST", body: file, headers: { "content-type": file.type || "application/octet-stream" } });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { message?: string } | null;
        return setMessage({ ok: false, text: body?.message ?? "The upload failed. Try again." });
      }
      await done("Picture updated.");
    } catch {
      setMessage({ ok: false, text: "The upload failed. Check your connection and try again." });
    } finally {
      setBusy(false);
      if (fileRef.current) fileRef.current.value = "";
    }
  }

  return (
    <div className="mt-4 flex flex-col gap-3 sm:flex-row sm:items-center">
      {avatarUrl ? (
        // eslint-disable-next-line @next/next/no-img-element -- a 256 px square served with immutable caching by us
        <img src={avatarUrl} alt="Your picture" width={64} height={64} data-testid="account-avatar" className="h-16 w-16 rounded-full border border-slate-200 object-cover" />
      ) : (
        <span aria-hidden="true" data-testid="account-avatar-initials" className="flex h-16 w-16 items-center justify-center rounded-full bg-brand-light text-lg font-semibold text-brand">
          {initials}
        </span>
      )}
      <div className="flex flex-col gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <label htmlFor={inputId} className="sr-only">Upload a picture</label>
          <input
            ref={fileRef} id={inputId} type="file" accept={ACCEPT} data-testid="avatar-input" disabled={busy}
            onChange={(e) => { const f = e.target.files?.[0]; if (f) void upload(f); }}
            className="text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium"
          />
          {avatarUrl && (
            <Button
              variant="ghost" size="sm" data-testid="avatar-remove" disabled={busy || remove.isPending}
              onClick={async () => {
                setMessage(null);
                const r = await remove.mutateAsync().catch(() => null);
                if (r) await done("Picture removed.");
                else setMessage({ ok: false, text: "The picture could not be removed. Try again." });
              }}
              className="text-red-700 hover:bg-red-50"
            >
              Remove picture
            </Button>
          )}
        </div>
        <p className="text-xs text-slate-600">JPEG, PNG, WebP, GIF or AVIF, at most 2 MB. It is cropped to a square.</p>
        {message && (message.ok
          ? <Notice tone="success" data-testid="avatar-notice">{message.text}</Notice>
          : <Alert data-testid="avatar-notice">{message.text}</Alert>)}
      </div>
    </div>
  );
}
