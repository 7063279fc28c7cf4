// The dev stack's WebSocket→TCP proxy (db/local/ws-proxy.ts), driven from outside: it relays the driver to the one
// database it serves, and nothing else — not a web page (which sends an Origin), not another local port.
import type { AddressInfo } from "node:net";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startWebSocketProxy, type WebSocketProxy } from "../../db/local/ws-proxy";
import { freePort } from "../free-port";

type Closer = () => Promise<void>;
const closers: Closer[] = [];

/** A TCP server that writes back what it reads, prefixed with its name. */
async function echoServer(name: string): Promise<number> {
  const server = net.createServer((socket) => socket.on("data", (chunk) => socket.write(`${name}:${chunk}`)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

/** Opens the proxy for `address`, sends "ping": the reply, the status that refused the upgrade, or the close. */
function exchange(proxyPort: number, address: string, headers: Record<string, string> = {}) {
  return new Promise<{ reply?: string; refused?: number; closed?: number }>((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${proxyPort}/v1?address=${address}`, { headers });
    socket.on("open", () => socket.send(Buffer.from("ping")));
    socket.on("message", (data) => {
      resolve({ reply: String(data) });
      socket.close();
    });
    socket.on("unexpected-response", (_request, response) => {
      resolve({ refused: response.statusCode });
      response.resume();
    });
    socket.on("close", (code) => resolve({ closed: code }));
    socket.on("error", reject);
  });
}

let proxyPort: number;
let proxy: WebSocketProxy;
let databasePort: number;
let otherPort: number;

beforeAll(async () => {
  databasePort = await echoServer("database");
  otherPort = await echoServer("other");
  proxyPort = await freePort();
  proxy = await startWebSocketProxy(proxyPort, { host: "127.0.0.1", port: databasePort });
  closers.push(() => proxy.close());
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

describe("the dev WebSocket proxy", () => {
  it("relays the driver (no Origin) to the database it serves, by either loopback name", async () => {
    expect(await exchange(proxyPort, `localhost:${databasePort}`)).toEqual({ reply: "database:ping" });
    expect(await exchange(proxyPort, `127.0.0.1:${databasePort}`)).toEqual({ reply: "database:ping" });
  });

  it("refuses the upgrade from a web page (Origin: https://evil.example) with 403", async () => {
    const result = await exchange(proxyPort, `localhost:${databasePort}`, { origin: "https://evil.example" });
    expect(result).toEqual({ refused: 403 });
  });

  it("refuses another local port (the dev mailbox, say) with 403 even without an Origin", async () => {
    expect(await exchange(proxyPort, `localhost:${otherPort}`)).toEqual({ refused: 403 });
    expect(await exchange(proxyPort, `127.0.0.1:${otherPort}`)).toEqual({ refused: 403 });
  });

  it("refuses an address that is not a host and port", async () => {
    expect(await exchange(proxyPort, "")).toEqual({ refused: 403 });
    expect(await exchange(proxyPort, `example.com:${databasePort}`)).toEqual({ refused: 403 });
  });

  it("counts the round trips it relays (the upgrade, then each answer) and can hold each one back (MUSTER_DB_DELAY_MS)", async () => {
    const before = proxy.roundTrips;
    expect(await exchange(proxyPort, `localhost:${databasePort}`)).toEqual({ reply: "database:ping" });
    expect(proxy.roundTrips - before).toBe(2);
    proxy.delayMs = 60;
    try {
      const started = performance.now();
      expect(await exchange(proxyPort, `localhost:${databasePort}`)).toEqual({ reply: "database:ping" });
      // Held back twice (the upgrade and the answer): never sooner than that.
      expect(performance.now() - started).toBeGreaterThanOrEqual(2 * 60 - 2);
      expect(proxy.roundTrips - before).toBe(4);
    } finally {
      proxy.delayMs = 0;
    }
  });
});
