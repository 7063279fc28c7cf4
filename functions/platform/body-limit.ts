/**
 * Reads a streamed request body of at most `limit` bytes; returns the bytes, or null when the body is larger.
 *
 * Past the limit nothing more is kept, but the rest is still read to its end and dropped. A body left half-read
 * (locked, or cancelled) while the response goes out breaks `wrangler dev`'s proxy for every later request
 * (it answers 503 or stalls them); a body the Worker never touches is drained by the runtime just the same, so
 * draining costs nothing that a refused request does not already cost.
 */
export async function readBodyWithin(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await drain(reader);
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  try {
    while (!(await reader.read()).done) {
      // dropped
    }
  } catch {
    // The client went away: nobody is left to hear the 413.
  }
}
