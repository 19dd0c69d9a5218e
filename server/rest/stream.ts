/**
 * JSON responses written in chunks. A location list at 10,000 members is megabytes of JSON: serialising it into one
 * string first held the whole text in memory next to the rows and sent nothing until the last row was done. A route
 * handler may answer with a `ReadableStream` body (Next passes it through to the socket as it is pulled), so the rows
 * are serialised a slice at a time, only as fast as the client reads. The bytes are exactly what
 * `JSON.stringify(head + items + tail)` would give: the contract does not change, only when the bytes leave.
 */

/** Items and their serialiser (a method, so a typed serialiser fits `JsonRows<unknown>`). */
export type JsonRows<T = unknown> = { items: readonly T[]; toJson(item: T): string };

// ~100-500 bytes a row: a slice is a few tens of kilobytes, large enough to keep syscalls few.
const ROWS_PER_CHUNK = 200;

/** `head`, the items separated by commas, then `tail`, as a streamed response. */
export function streamJson(head: string, rows: JsonRows, tail: string, init: { status: number; headers: Record<string, string> }): Response {
  const encoder = new TextEncoder();
  const { items } = rows;
  let next = 0;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      let out = started ? "" : head;
      started = true;
      const end = Math.min(items.length, next + ROWS_PER_CHUNK);
      for (; next < end; next++) out += (next > 0 ? "," : "") + rows.toJson(items[next]);
      if (next >= items.length) {
        controller.enqueue(encoder.encode(out + tail));
        controller.close();
      } else {
        controller.enqueue(encoder.encode(out));
      }
    },
  });
  return new Response(body, { status: init.status, headers: { "content-type": "application/json", ...init.headers } });
}
