/**
 * Node's http request/response ↔ the Fetch API's Request/Response, for the API doors that serve.ts answers without
 * Next (api-door.ts). Bodies stream both ways with backpressure; the doors cap what they read.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";

/** The request as a Fetch Request. Its URL names the host the client asked for, as Next's route handlers see it. */
export function toWebRequest(req: IncomingMessage, fallbackOrigin: string): Request {
  // From req.headers, not rawHeaders: serve.ts has replaced the client's x-roster-peer there with the socket's.
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (value) for (const v of value) headers.append(name, v);
  }
  const method = req.method ?? "GET";
  let url: URL;
  try {
    url = new URL(req.url ?? "/", req.headers.host ? `http://${req.headers.host}` : fallbackOrigin);
  } catch {
    url = new URL(req.url ?? "/", fallbackOrigin);
  }
  const init: RequestInit & { duplex?: "half" } = { method, headers };
  if (method !== "GET" && method !== "HEAD") {
    init.body = Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
    init.duplex = "half";
  }
  return new Request(url, init);
}

/** Writes a Fetch Response to Node's response; `extra` headers are added where the response did not set them. */
export async function sendWebResponse(req: IncomingMessage, res: ServerResponse, response: Response, extra: readonly [string, string][]): Promise<void> {
  res.statusCode = response.status;
  // Answered before the request body was read to its end (a 413, a refusal before parsing): the rest of that body
  // is still on the wire, so this connection cannot carry another request. Close it after the answer.
  if (!req.complete) res.shouldKeepAlive = false;
  for (const [name, value] of response.headers) if (name !== "set-cookie") res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader("set-cookie", cookies);
  for (const [name, value] of extra) if (!res.hasHeader(name)) res.setHeader(name, value);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  // A client that went away stops the producer (a streamed list stops reading rows).
  const onClose = () => void reader.cancel().catch(() => {});
  res.once("close", onClose);
  try {
    // A body that is one chunk (every tRPC answer, every REST answer but the streamed lists) goes out with its
    // length in one write with the headers, instead of a chunked write and a second one to end it.
    const first = await reader.read();
    if (first.done) {
      res.end();
      return;
    }
    const second = await reader.read();
    if (second.done) {
      if (res.destroyed) return;
      if (!res.hasHeader("content-length") && !res.hasHeader("content-encoding")) res.setHeader("content-length", first.value.byteLength);
      res.end(first.value);
      return;
    }
    // Either the client reads on, or it went away (close): never wait for a drain that will not come.
    const drained = () => new Promise<void>((resume) => {
      const done = () => {
        res.off("drain", done);
        res.off("close", done);
        resume();
      };
      res.once("drain", done);
      res.once("close", done);
    });
    for (let chunk: ReadableStreamReadResult<Uint8Array> = first; !chunk.done; chunk = chunk === first ? second : await reader.read()) {
      if (res.destroyed) return;
      if (!res.write(chunk.value)) await drained();
    }
    res.end();
  } finally {
    res.off("close", onClose);
  }
}
