/** @type {import('next').NextConfig} */
const config = {
  // NEXT_DIST_DIR lets parallel work trees or test runs keep separate builds; the default is Next's own.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // PGlite loads its wasm and data files relative to its own module; bundling it breaks that under webpack.
  serverExternalPackages: ["@electric-sql/pglite"],
  poweredByHeader: false,
  typedRoutes: false,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
      // Invitation pages: never leak the page address (which once held a token) to another site.
      { source: "/invite/:path*", headers: [{ key: "Referrer-Policy", value: "no-referrer" }] },
      { source: "/invite", headers: [{ key: "Referrer-Policy", value: "no-referrer" }] },
    ];
  },
};
export default config;
