// A frozen database (it accepts the connection and never answers: a stopped process, a full backlog) must not
// hold each request for long: the pool gives up connecting after five seconds (DATABASE_CONNECT_TIMEOUT_MS) and the request gets 503.
// The driver and the dev proxy are real; only the clock is driven by hand, so the test takes no time.
import type { AddressInfo } from "node:net";
import net from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";
import { startWebSocketProxy } from "../../db/local/ws-proxy";
import { nodeDatabase } from "../../db/node-client";
import { toApiError } from "../../functions/platform/router";

let frozenPort: number;
let proxyPort: number;
/** Startup messages the frozen database has received (and never answered). */
let startups = 0;
const stops: (() => Promise<void>)[] = [];

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  stops.push(() => new Promise((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  const sockets = new Set<net.Socket>();
  const frozen = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("data", () => startups++);
  });
  frozenPort = await listen(frozen);
  stops.push(async () => {
    for (const socket of sockets) socket.destroy();
  });
  const probe = net.createServer();
  proxyPort = await listen(probe);
  await stops.pop()?.();
  const proxy = await startWebSocketProxy(proxyPort, { host: "127.0.0.1", port: frozenPort });
  stops.push(() => proxy.close());
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

/** Lets sockets and promises move without moving the (fake) clock. */
async function settle(until: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1000 && !until(); turn++) {
    await vi.advanceTimersByTimeAsync(0);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

it.each([
  ["pipelined, as with Neon and the embedded database", true],
  ["one message at a time, as with a Postgres that asks for SCRAM", false],
])(
  "a query against a frozen database fails as 503 service_unavailable after the connect timeout (5 s): %s",
  async (_, pipelineConnect) => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { db, pool } = nodeDatabase(
      `postgres://muster:muster@localhost:${frozenPort}/muster`,
      `localhost:${proxyPort}`,
      { pipelineConnect },
    );
    let outcome: unknown;
    const query = db.execute(sql`select 1`).then(
      () => {
        outcome = "answered";
      },
      (error: unknown) => {
        outcome = error;
      },
    );
    const before = startups;
    await settle(() => startups > before); // the startup message reached the database, which says nothing
    expect(startups).toBe(before + 1);
    await vi.advanceTimersByTimeAsync(4900);
    await settle(() => outcome !== undefined);
    expect(outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1000);
    await settle(() => outcome !== undefined);
    expect(outcome).toBeInstanceOf(Error);
    expect(toApiError(outcome).code).toBe("service_unavailable");
    await vi.runAllTimersAsync();
    await query;
    vi.useRealTimers();
    await pool.end().catch(() => {});
  },
);
