import type { Metadata, Viewport } from "next";
import localFont from "next/font/local";
import { connection } from "next/server";
import "./globals.css";
import { CspCompat } from "./_components/csp-compat.tsx";
import { TRPCProvider } from "./_trpc/react.tsx";

// Fonts cannot be fetched at build time here, so Inter comes from the npm package, not Google Fonts.
const inter = localFont({
  src: "../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  variable: "--font-inter",
  display: "swap",
});

export const metadata: Metadata = { title: { default: "Roster", template: "%s · Roster" }, description: "Members and access for B2B platforms" };
export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request: Next puts the request's CSP nonce (proxy.ts) on its scripts only then, and a
  // page prerendered at build time would carry none and be blocked.
  await connection();
  return (
    <html lang="en" className={inter.variable}>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <CspCompat />
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow">
          Skip to content
        </a>
        <TRPCProvider>{children}</TRPCProvider>
      </body>
    </html>
  );
}
