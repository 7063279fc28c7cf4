import { neonConfig, Pool } from "@neondatabase/serverless";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import * as schema from "../../schema";
import { configOf } from "./config";
import type { Env } from "./env";

export type Database = NeonDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either the request's database or a transaction on it: domain helpers accept both. */
export type Queryable = Database | Transaction;

let configuredProxy: string | undefined;

/**
 * Local development and tests reach Postgres through a plain-WebSocket proxy; production talks to Neon. Each
 * request opens its connection, so the handshake is pipelined where the server allows it (the driver sends the
 * password before it is asked): one round trip after the WebSocket opens instead of three.
 */
function configureDriver(localProxy: string | undefined, pipelineConnect: boolean): void {
  neonConfig.pipelineConnect = pipelineConnect ? "password" : false;
  if (!localProxy || configuredProxy === localProxy) return;
  configuredProxy = localProxy;
  neonConfig.wsProxy = (host, port) => `${localProxy}/v1?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
}

/** A Worker's database, from its configuration. */
export function createDatabase(env: Env): { db: Database; pool: Pool } {
  const config = configOf(env);
  return connectDatabase(config.DATABASE_URL, config.LOCAL_WS_PROXY, {
    connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
    pipelineConnect: config.DATABASE_PIPELINE_CONNECT,
  });
}

export interface ConnectOptions {
  /** A database that does not answer within this is down: the request gets its 503 rather than hanging. */
  connectTimeoutMs?: number;
  /** Whether the server takes a password it has not asked for yet (Neon, the embedded database: yes). */
  pipelineConnect?: boolean;
}

/** A pool on a database URL; the local proxy, when given, is how the driver reaches a Postgres on this machine. */
export function connectDatabase(
  databaseUrl: string,
  localProxy?: string,
  { connectTimeoutMs = 5000, pipelineConnect = true }: ConnectOptions = {},
): { db: Database; pool: Pool } {
  configureDriver(localProxy, pipelineConnect);
  const pool = new Pool({ connectionString: databaseUrl, connectionTimeoutMillis: connectTimeoutMs });
  if (pipelineConnect) pool.on("connect", (client: unknown) => guardPipelinedHandshake(client, connectTimeoutMs));
  // A socket closed under an idle client is not a crash: log it and let the next query reconnect.
  // A socket closing after its client or the pool was told to end (idle timeout, the request's end) is that end.
  pool.on("error", (error: Error, client: unknown) => {
    const ending = (pool as unknown as { ending?: boolean }).ending || (client as { _ending?: boolean })?._ending;
    if (!ending) console.warn("database pool error:", error.message);
  });
  return { db: drizzle({ client: pool, schema }), pool };
}

interface DriverConnection {
  once(event: "readyForQuery" | "end", listener: () => void): void;
  stream: { destroy(error?: Error): void };
}

/**
 * A pipelined connect counts as connected the moment the socket opens (the startup, the password and the first
 * statement go out together), so the driver's connect timeout never fires against a database that accepts the
 * socket and then says nothing. This puts it back: no ReadyForQuery within the timeout, and the socket is
 * destroyed, which fails the waiting statement as an outage.
 */
function guardPipelinedHandshake(client: unknown, timeoutMs: number): void {
  const connection = (client as { connection?: DriverConnection }).connection;
  if (!connection) return;
  const timer = setTimeout(() => {
    connection.stream.destroy(new Error("Connection terminated due to connection timeout"));
  }, timeoutMs);
  connection.once("readyForQuery", () => clearTimeout(timer));
  connection.once("end", () => clearTimeout(timer));
}

const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|connect|WebSocket|socket|terminated|timeout|network/i;

/** Postgres error details, looking through Drizzle's wrapper. */
export function databaseErrorOf(error: unknown): { code?: string; constraint?: string; unreachable: boolean } | null {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const candidate = current as {
      code?: unknown;
      constraint?: unknown;
      message?: unknown;
      cause?: unknown;
      name?: unknown;
    };
    if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return {
        code: candidate.code,
        constraint: typeof candidate.constraint === "string" ? candidate.constraint : undefined,
        unreachable: candidate.code.startsWith("08") || candidate.code === "57P01",
      };
    }
    current = candidate.cause;
  }
  // Drizzle's wrapper only names the query (which may say anything); what went wrong is its cause. A WebSocket
  // that never opened (the proxy or Neon refused the upgrade) fails with a bare ErrorEvent, named by its class.
  const failure = ((error as { cause?: unknown } | undefined)?.cause ?? error) as
    | { name?: unknown; message?: unknown }
    | undefined;
  const text = `${String(failure?.name ?? "")} ${String(failure?.constructor?.name ?? "")} ${String(failure?.message ?? "")}`;
  if (/ErrorEvent|Connection/.test(text)) {
    return { unreachable: UNREACHABLE.test(text) };
  }
  return null;
}

/**
 * What an outage log needs, without a stack or a query's parameters: each cause's first line, outermost first,
 * leaving out Drizzle's wrapper (its message is the query). A pool's connect timeout reads
 * `Connection terminated due to connection timeout: Connection terminated unexpectedly`.
 */
export function rootCause(error: unknown): string {
  const lines: string[] = [];
  let current = error as { message?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; depth < 5 && current; depth++) {
    const wrapsAQuery = depth === 0 && current.cause !== undefined && /^Failed query/.test(String(current.message));
    if (!wrapsAQuery) lines.push(String(current.message ?? current).split("\n")[0] ?? "");
    current = current.cause as typeof current;
  }
  return lines.join(": ");
}
