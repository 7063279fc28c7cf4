// The public port of `npm run dev`: a small HTTP front before `wrangler dev` that does what Cloudflare's edge
// does for the one header the app trusts. The edge sets CF-Connecting-IP to the address the connection came
// from, whatever the client sent; wrangler keeps a client's own value (miniflare only fills it in when absent),
// which would let a client choose its rate-limit bucket and its audit address. Node-only code.
import http from "node:http";
import net from "node:net";

export interface DevFront {
  /** The loopback port the front relays to: give it to `wrangler dev --port`. */
  upstreamPort: number;
  close(): Promise<void>;
}

export interface DevFrontOptions {
  /** The public port (PORT). */
  port: number;
  host?: string;
  /** Where wrangler listens; a free loopback port when not given. */
  upstreamPort?: number;
}

/** Per connection, not end to end (RFC 9110 §7.6.1): each leg has its own. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);
/** What the edge decides, not the client. */
const CLIENT_ADDRESS = new Set(["cf-connecting-ip", "x-real-ip", "x-forwarded-for"]);

/** `rawHeaders` (name, value, name, value…) without the given names and whatever `Connection` names. */
function withoutHeaders(raw: string[], drop: Set<string>): string[] {
  const named = new Set(drop);
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === "connection") {
      for (const token of (raw[i + 1] ?? "").split(",")) named.add(token.trim().toLowerCase());
    }
  }
  const kept: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? "";
    if (!named.has(name.toLowerCase())) kept.push(name, raw[i + 1] ?? "");
  }
  return kept;
}

export async function freeLoopbackPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Starts the front on `port`; bodies stream both ways (nothing is buffered), status and headers pass back. */
export async function startDevFront(options: DevFrontOptions): Promise<DevFront> {
  const upstreamPort = options.upstreamPort ?? (await freeLoopbackPort());
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((request, response) => {
    const address = (request.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
    const upstream = http.request({
      host: "127.0.0.1",
      port: upstreamPort,
      method: request.method,
      path: request.url,
      headers: [
        ...withoutHeaders(request.rawHeaders, new Set([...HOP_BY_HOP, ...CLIENT_ADDRESS])),
        "CF-Connecting-IP",
        address,
      ],
      agent,
    });
    upstream.on("response", (reply) => {
      response.writeHead(reply.statusCode ?? 502, reply.statusMessage, withoutHeaders(reply.rawHeaders, HOP_BY_HOP));
      reply.pipe(response);
      reply.on("error", () => response.destroy());
    });
    upstream.on("error", () => {
      if (response.headersSent) return response.destroy();
      response.writeHead(502, { "Content-Type": "text/plain; charset=utf-8", Connection: "close" });
      response.end("wrangler dev is not answering (yet?)\n");
    });
    request.on("error", () => upstream.destroy());
    // The client went away before its response was done: stop the work behind it.
    response.on("close", () => {
      if (!response.writableFinished) upstream.destroy();
    });
    request.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  return {
    upstreamPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
