/**
 * Request bodies are read with a hard cap, counted while reading (a client can lie in Content-Length or send none),
 * so an oversized body never sits in memory whole. Both doors (REST and tRPC) use it and answer 413.
 */
export const MAX_BODY_BYTES = 1_048_576;

/** The body as text ("" when there is none), or null when it is over `max` bytes. */
export async function readBodyCapped(req: Request, max = MAX_BODY_BYTES): Promise<string | null> {
  return (await readCapped(req, max))?.toString("utf8") ?? null;
}

/** The body's bytes, or null when it is over `max` bytes (uploads: binary, so never decoded as text). */
export function readBytesCapped(req: Request, max: number): Promise<Uint8Array | null> {
  return readCapped(req, max);
}

async function readCapped(req: Request, max: number): Promise<Buffer | null> {
  if (Number(req.headers.get("content-length") ?? "0") > max) return null;
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
