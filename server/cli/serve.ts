/**
 * Roster's HTTP server: the built app behind Node's own `http` server, through Next's custom-server API.
 *
 * Why not `next start`: Next keeps whatever X-Forwarded-For a client sent (it only fills the header in when it is
 * missing), so the app could never tell the socket peer from a forged header, and every per-IP limit could be walked
 * past by picking a new address per request. Here the peer is written into `x-roster-peer` from the socket, after
 * deleting any `x-roster-peer` the client sent; server/security/client-ip.ts believes X-Forwarded-For only when that
 * peer is one of TRUSTED_PROXIES.
 *
 * It also answers the API itself (tRPC and REST, server/http/api-door.ts) before Next's router: the same handlers
 * as app/api/..., without Next's per-request pipeline, which cost more CPU than most API calls need for their work.
 *
 * Usage (the same flags as `next start`): `tsx server/cli/serve.ts [-p|--port <port>] [-H|--hostname <host>]`.
 * The port defaults to PORT (then 3000), the hostname to all interfaces. SIGTERM and SIGINT stop accepting
 * connections, close Next and exit (143 / 130, as `next start` does). Boot work (configuration, migrations, demo
 * data, server/boot.ts) runs before it listens; instrumentation.ts gets the same one-per-process boot.
 */
import http from "node:http";
import path from "node:path";
import next from "next";
import { PEER_HEADER } from "../security/client-ip.ts";

type Options = { port: number; hostname: string | undefined };

function usage(message: string): never {
  console.error(`${message}\nUsage: serve [-p|--port <port>] [-H|--hostname <host>]`);
  process.exit(2);
}

export function parseServeArgs(argv: readonly string[], env: Record<string, string | undefined> = process.env): Options {
  let port: string | undefined = env.PORT || undefined;
  let hostname: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === "-p" || flag === "--port") port = value();
    else if (flag === "-H" || flag === "--hostname") hostname = value();
    else usage(`Unknown option ${arg}`);
  }
  const n = Number(port ?? 3000);
  if (!Number.isInteger(n) || n < 0 || n > 65535) usage(`Invalid port ${port}`);
  return { port: n, hostname };
}

export async function serve(opts: Options): Promise<void> {
  // Next picks its production behaviour from NODE_ENV; a custom server must set it itself.
  (process.env as Record<string, string>).NODE_ENV ??= "production";
  const app = next({ dev: false, dir: path.resolve(import.meta.dirname, "../.."), ...(opts.hostname ? { hostname: opts.hostname } : {}), port: opts.port });
  const handle = app.getRequestHandler();
  await app.prepare();
  // Boot before listening: Next would run it (instrumentation.ts) only on the first request it handles, and the API
  // door answers without Next. The configuration is checked, the database migrated and the worker started by then.
  const { boot } = await import("../boot.ts");
  await boot();
  const { apiDoor } = await import("../http/api-door.ts");
  const answerApi = apiDoor(`http://${opts.hostname ?? "localhost"}:${opts.port}`);

  const server = http.createServer((req, res) => {
    // Only the socket says who is on the other end; a client-sent value is dropped before anything reads it.
    delete req.headers[PEER_HEADER];
    const peer = req.socket.remoteAddress;
    if (peer) req.headers[PEER_HEADER] = peer;
    if (answerApi(req, res)) return;
    handle(req, res).catch((e: unknown) => {
      console.error("[serve] unhandled request error:", e);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("Internal error.");
    });
  });
  // Longer than the idle timeout of common load balancers (60 s): a proxy must never reuse a connection that Node is
  // closing at that moment (that race surfaces as a reset request). Shutdown closes idle connections at once anyway.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on("upgrade", (req, socket, head) => {
    delete req.headers[PEER_HEADER];
    if (req.socket.remoteAddress) req.headers[PEER_HEADER] = req.socket.remoteAddress;
    void app.getUpgradeHandler()(req, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.hostname, () => resolve());
  });
  const address = server.address();
  const shown = typeof address === "object" && address ? `${opts.hostname ?? "0.0.0.0"}:${address.port}` : String(address);
  console.log(`Listening on http://${shown}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    // Open keep-alive sockets would hold close() forever; a request in flight gets its answer first.
    server.closeIdleConnections();
    const force = setTimeout(() => server.closeAllConnections(), 5_000);
    force.unref();
    server.close(() => {
      void app
        .close()
        .catch((e: unknown) => console.error("[serve] error while closing:", e))
        .finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  await serve(parseServeArgs(process.argv.slice(2))).catch((e: unknown) => {
    console.error(`\nRoster cannot start: ${(e as Error)?.message ?? String(e)}\n`);
    process.exit(1);
  });
}
