import type { Metadata, Viewport } from "next";
import localFont from "next/font/local";
import "./globals.css";
import { TRPCProvider } from "./_trpc/react.tsx";

// Fonts cannot be fetched at build time here, so Inter comes from the npm package, not Google Fonts.
const inter = localFont({
  src: "../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  variable: "--font-inter",
  display: "swap",
});

export const metadata: Metadata = { title: { default: "Roster", template: "%s · Roster" }, description: "Members and access for B2B platforms" };
export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className={inter.variable}>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow">
          Skip to content
        </a>
        <TRPCProvider>{children}</TRPCProvider>
      </body>
    </html>
  );
}
