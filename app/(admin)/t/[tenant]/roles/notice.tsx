"use client";
/** One shared notice for the roles page's client islands (grid cells, role controls, add-right form). */
import { createContext, useContext, useState, type ReactNode } from "react";

type Notice = { ok: boolean; text: string };
const NoticeContext = createContext<(n: Notice | null) => void>(() => {});

export const useRolesNotice = () => useContext(NoticeContext);

export function RolesNoticeProvider({ children }: { children: ReactNode }) {
  const [notice, setNotice] = useState<Notice | null>(null);
  return (
    <NoticeContext.Provider value={setNotice}>
      {notice && (
        <p role={notice.ok ? "status" : "alert"} data-testid="roles-notice" aria-live="polite"
          className={`mt-4 rounded-md px-3 py-2 text-sm ${notice.ok ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}>{notice.text}</p>
      )}
      {children}
    </NoticeContext.Provider>
  );
}
