/**
 * First-load JavaScript per admin route: the gzip size of each route's first-load chunks. Next 16 no longer prints
 * it; a Turbopack build writes `<distDir>/diagnostics/route-bundle-stats.json` (route → chunk paths), which this
 * reads and gzips chunk by chunk (level 9, as a CDN would serve them).
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

export type RouteBundle = { route: string; chunks: number; rawBytes: number; gzipBytes: number };

export function firstLoadJs(distDir: string, root: string): RouteBundle[] | { error: string } {
  const file = path.join(distDir, "diagnostics", "route-bundle-stats.json");
  if (!fs.existsSync(file)) return { error: `${path.relative(root, file)} not found (a Turbopack build writes it)` };
  const stats = JSON.parse(fs.readFileSync(file, "utf8")) as { route: string; firstLoadChunkPaths: string[] }[];
  const cache = new Map<string, { raw: number; gz: number }>();
  const size = (p: string) => {
    let s = cache.get(p);
    if (!s) {
      // Paths are relative to the project root and carry the dist dir's name at build time.
      const abs = path.isAbsolute(p) ? p : path.join(root, p);
      const buf = fs.existsSync(abs) ? fs.readFileSync(abs) : fs.readFileSync(path.join(distDir, p.split("/").slice(1).join("/")));
      s = { raw: buf.length, gz: zlib.gzipSync(buf, { level: 9 }).length };
      cache.set(p, s);
    }
    return s;
  };
  return stats
    .filter((r) => r.route.startsWith("/t/"))
    .map((r) => {
      const sizes = r.firstLoadChunkPaths.filter((p) => p.endsWith(".js")).map(size);
      return { route: r.route, chunks: sizes.length, rawBytes: sizes.reduce((a, b) => a + b.raw, 0), gzipBytes: sizes.reduce((a, b) => a + b.gz, 0) };
    })
    .sort((a, b) => a.route.localeCompare(b.route));
}
