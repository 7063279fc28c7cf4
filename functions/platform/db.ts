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

/** Local development and tests reach Postgres through a plain-WebSocket proxy; production talks to Neon. */
function configureDriver(localProxy: string | undefined): void {
  if (!localProxy || configuredProxy === localProxy) return;
  configuredProxy = localProxy;
  neonConfig.wsProxy = (host, port) => `${localProxy}/v1?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
}

/** A Worker's database, from its configuration. */
export function createDatabase(env: Env): { db: Database; pool: Pool } {
  const config = configOf(env);
  return connectDatabase(config.DATABASE_URL, config.LOCAL_WS_PROXY, config.DATABASE_CONNECT_TIMEOUT_MS);
}

/**
 * A pool on a database URL; the local proxy, when given, is how the driver reaches a Postgres on this machine. A
 * database that does not answer within the connect timeout is down: the request gets its 503 rather than hanging.
 */
export function connectDatabase(
  databaseUrl: string,
  localProxy?: string,
  connectTimeoutMs = 5000,
): { db: Database; pool: Pool } {
  configureDriver(localProxy);
  const pool = new Pool({ connectionString: databaseUrl, connectionTimeoutMillis: connectTimeoutMs });
  // A socket closed under an idle client is not a crash: log it and let the next query reconnect.
  pool.on("error", (error: Error) => console.warn("database pool error:", error.message));
  return { db: drizzle({ client: pool, schema }), pool };
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
