"use client";
/** A visible, announced outcome of an action: green for success, red for a clear error. */
export type NoticeState = { ok: boolean; text: string } | null;

export function Notice({ notice, testId }: { notice: NoticeState; testId: string }) {
  if (!notice) return null;
  return (
    <p role={notice.ok ? "status" : "alert"} data-testid={testId}
      className={`rounded-md px-3 py-2 text-sm ${notice.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}>
      {notice.text}
    </p>
  );
}
