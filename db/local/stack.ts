// What `npm run dev`, `db:migrate` and `db:seed` share: a database URL (the embedded one unless
// DATABASE_URL is set) plus, for a local server, the WebSocket proxy the Neon driver needs.
import path from "node:path";
import { DATA_DIR } from "../paths";
import { type LocalDatabase, startLocalDatabase } from "./postgres";
import { delayFromEnvironment, startWebSocketProxy } from "./ws-proxy";

export interface Stack {
  databaseUrl: string;
  wsProxy: string | undefined;
  /** False for a Postgres of your own on this machine: it may ask for SCRAM, so the driver must wait to be asked. */
  pipelineConnect: boolean;
  stop(): Promise<void>;
}

const isLocalHost = (url: string) => ["localhost", "127.0.0.1", "[::1]"].includes(new URL(url).hostname);

export async function startStack(log: (line: string) => void = () => {}): Promise<Stack> {
  const pgPort = Number(process.env.MUSTER_PG_PORT ?? 54329);
  const proxyPort = Number(process.env.MUSTER_WS_PROXY_PORT ?? pgPort + 1);
  const external = process.env.DATABASE_URL;
  const delayMs = delayFromEnvironment();
  if (external) {
    // A Postgres on this machine still needs the proxy; Neon speaks WebSocket itself.
    if (!isLocalHost(external)) {
      return { databaseUrl: external, wsProxy: undefined, pipelineConnect: true, stop: async () => {} };
    }
    const { hostname, port } = new URL(external);
    const proxy = await startWebSocketProxy(proxyPort, { host: hostname, port: Number(port || 5432) }, { delayMs });
    return {
      databaseUrl: external,
      wsProxy: `localhost:${proxyPort}`,
      pipelineConnect: false,
      stop: () => proxy.close(),
    };
  }
  const database: LocalDatabase = await startLocalDatabase({
    dataDir: path.join(DATA_DIR, "postgres"),
    port: pgPort,
    proxyPort,
    delayMs,
    log,
  });
  return { ...database, pipelineConnect: true };
}
