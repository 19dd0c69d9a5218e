/** @type {import('next').NextConfig} */
const config = {
  // NEXT_DIST_DIR lets parallel work trees or test runs keep separate builds; the default is Next's own.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // PGlite loads its wasm and data files relative to its own module; bundling it breaks that under webpack.
  serverExternalPackages: ["@electric-sql/pglite"],
  poweredByHeader: false,
  typedRoutes: false,
  // Every other security header (and the CSP) is set per request in proxy.ts (server/security/headers.ts), which
  // skips the immutable build assets: they only need nosniff, and it does not depend on the environment.
  async headers() {
    return [{ source: "/_next/static/:path*", headers: [{ key: "X-Content-Type-Options", value: "nosniff" }] }];
  },
};
export default config;
