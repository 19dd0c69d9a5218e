/**
 * The client's IP address for rate limits and the audit log. X-Forwarded-For is believed only when the peer that
 * sent us the request is one of TRUSTED_PROXIES; otherwise anyone could pick their own IP per request and walk
 * past every per-IP limit. The peer comes from the `x-roster-peer` header, which Roster's own HTTP server sets from
 * the socket (overwriting anything a client sent); see server/cli/serve.ts.
 */
import net from "node:net";

export const PEER_HEADER = "x-roster-peer";

const strip = (a: string) => {
  const v = a.trim().replace(/^\[|\]$/g, "");
  return v.startsWith("::ffff:") && net.isIPv4(v.slice(7)) ? v.slice(7) : v;
};

/**
 * Walks X-Forwarded-For from the right (the entry the nearest proxy appended) past trusted proxies; the first
 * untrusted address is the client. Without a trusted peer, the peer itself is the client.
 */
export function clientIpFrom(headers: Headers, trustedProxies: readonly string[]): string | null {
  const peerRaw = headers.get(PEER_HEADER);
  const peer = peerRaw ? strip(peerRaw) : null;
  const trusted = new Set(trustedProxies.map(strip));
  if (!peer || !trusted.has(peer)) return peer && net.isIP(peer) ? peer : null;
  const chain = (headers.get("x-forwarded-for") ?? "").split(",").map(strip).filter((a) => net.isIP(a) !== 0);
  for (let i = chain.length - 1; i >= 0; i--) if (!trusted.has(chain[i]!)) return chain[i]!;
  return chain[0] ?? peer;
}
