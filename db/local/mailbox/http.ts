// Reading requests and writing answers for the mailbox's node:http server.
import type http from "node:http";
import type { Html } from "./html";

const MAX_BODY_BYTES = 1024 * 1024;

/** A JSON refusal decided deep inside a handler. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

export async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, { message: "request body too large" });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function header(req: http.IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) || null;
}

/** A browser says where a form was posted from; refuse pages of other sites posting to the mailbox. */
export function crossSite(req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  return origin !== undefined && origin !== `http://${req.headers.host}`;
}

export function decode(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? "");
  } catch {
    throw new HttpError(400, { message: "malformed path" });
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

export function sendText(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
  res.end(text);
}

export function sendHtml(res: http.ServerResponse, status: number, body: Html): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    // No scripts anywhere, nothing fetched from elsewhere except an email's own images; forms post only here.
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src * data:; form-action 'self'",
    "x-content-type-options": "nosniff",
  });
  res.end(body.value);
}
