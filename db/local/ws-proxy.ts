// The WebSocket→TCP proxy the Neon serverless driver (WebSocket only) needs to reach a Postgres on this machine.
// It can also play distance: MUSTER_DB_DELAY_MS holds every answer of the database back, as a database in
// another region would, and it counts the round trips it relays. Node-only code.
import http from "node:http";
import net from "node:net";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { CliError } from "../cli";

export interface ProxyTarget {
  host: string;
  port: number;
}

export interface ProxyOptions {
  /** Milliseconds added to every round trip: the WebSocket upgrade and each answer of the database wait this long. */
  delayMs?: number;
}

export interface WebSocketProxy {
  close(): Promise<void>;
  /** Milliseconds added to each round trip from now on (connections already open keep their order). */
  delayMs: number;
  /**
   * Round trips relayed so far: each WebSocket upgrade, and each time the database answers after the driver
   * spoke. Bytes the driver sends before the answer (a pipelined startup and password) share one round trip.
   */
  readonly roundTrips: number;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** `host:port` as the driver names it (`localhost:5432`, `[::1]:5432`); loopback names are one machine. */
function namesTarget(address: string, target: ProxyTarget): boolean {
  const colon = address.lastIndexOf(":");
  if (colon <= 0) return false;
  const host = address.slice(0, colon);
  const port = address.slice(colon + 1);
  const sameHost = host === target.host || (LOOPBACK.has(host) && LOOPBACK.has(target.host));
  return sameHost && port === String(target.port);
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

const MAX_DELAY_MS = 10_000;

/** MUSTER_DB_DELAY_MS, checked: a whole number of milliseconds (0 when unset). */
export function delayFromEnvironment(value = process.env.MUSTER_DB_DELAY_MS): number {
  if (value === undefined || value.trim() === "") return 0;
  const delay = Number(value);
  if (!Number.isInteger(delay) || delay < 0 || delay > MAX_DELAY_MS) {
    throw new CliError(`MUSTER_DB_DELAY_MS must be a whole number of milliseconds from 0 to ${MAX_DELAY_MS}.`);
  }
  return delay;
}

/**
 * Speaks the protocol of Neon's wsproxy: `ws://host:port/v1?address=db:5432`, raw bytes both ways, to the one
 * database it serves. A web page can open a WebSocket to localhost, so a request with an `Origin` (only
 * browsers send one; the driver does not) is refused before the upgrade, as is any other address.
 */
export async function startWebSocketProxy(
  port: number,
  target: ProxyTarget,
  options: ProxyOptions = {},
): Promise<WebSocketProxy> {
  const state = { delayMs: options.delayMs ?? 0, roundTrips: 0 };
  const server = http.createServer((_request, response) => {
    response.writeHead(426, { Connection: "close" }).end();
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (request, socket, head) => {
    socket.on("error", () => socket.destroy());
    const { origin, "sec-websocket-origin": legacyOrigin } = request.headers;
    if (origin !== undefined || legacyOrigin !== undefined) return refuse(socket, 403, "Forbidden");
    const url = new URL(request.url ?? "/", "http://localhost");
    if (!namesTarget(url.searchParams.get("address") ?? "", target)) return refuse(socket, 403, "Forbidden");
    state.roundTrips++;
    const upgrade = () => {
      if (!socket.destroyed) wss.handleUpgrade(request, socket, head, (client) => relay(client, target, state));
    };
    if (state.delayMs > 0) setTimeout(upgrade, state.delayMs);
    else upgrade();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value: number) {
      state.delayMs = value;
    },
    get roundTrips() {
      return state.roundTrips;
    },
    async close() {
      // Going away, said: a connection still open (an idle one at the end of the suites) closes cleanly rather
      // than seeing its peer vanish; whatever has not closed within a moment is cut.
      const closing = [...wss.clients].map(
        (client) => new Promise<void>((resolve) => client.once("close", () => resolve()).close(1001, "proxy closing")),
      );
      await Promise.race([Promise.all(closing), new Promise((resolve) => setTimeout(resolve, 500))]);
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function relay(socket: WebSocket, target: ProxyTarget, state: { delayMs: number; roundTrips: number }): void {
  // Postgres listens on 127.0.0.1 by default; `localhost` may resolve to ::1 first.
  const host = target.host === "localhost" ? "127.0.0.1" : target.host.replace(/^\[(.*)\]$/, "$1");
  const tcp = net.connect(target.port, host);
  let driverSpoke = false;
  let databaseClosed = false;
  // Answers held back leave in the order they came, each no earlier than its due time.
  const held: { due: number; chunk: Buffer }[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const release = () => {
    timer = undefined;
    while (held.length > 0 && (held[0]?.due ?? 0) <= Date.now()) socket.send(held.shift()?.chunk as Buffer);
    if (held.length > 0) timer = setTimeout(release, (held[0]?.due ?? 0) - Date.now());
    else if (databaseClosed) socket.close(1000);
  };
  tcp.on("data", (chunk) => {
    if (driverSpoke) {
      state.roundTrips++;
      driverSpoke = false;
    }
    if (state.delayMs === 0 && held.length === 0) return socket.send(chunk);
    held.push({ due: Date.now() + state.delayMs, chunk });
    timer ??= setTimeout(release, state.delayMs);
  });
  tcp.on("close", () => {
    databaseClosed = true;
    if (held.length === 0) socket.close(1000);
  });
  tcp.on("error", () => socket.close(1011));
  socket.on("message", (data) => {
    driverSpoke = true;
    tcp.write(data as Buffer);
  });
  socket.on("close", () => {
    if (timer) clearTimeout(timer);
    tcp.end();
  });
  socket.on("error", () => tcp.destroy());
}
