// The attack as it was found: oversized chunked bodies against the real stack under `wrangler dev`, while other
// clients go on using it. A body refused half-read used to break wrangler's proxy for everyone (503 "Your worker
// restarted mid-request", stalled GETs); the refusal must be an ordinary 413 that disturbs nothing.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DevStack, type RunningDevStack } from "../../db/local/dev-stack";
import { signDevToken } from "../../db/local/keys";
import { freePort } from "../free-port";

const LIMIT = 1_048_576; // MAX_BODY_BYTES's default, which the dev stack keeps
const OVERSIZED = LIMIT + 512 * 1024;
const ROUNDS = 12;
const MAX_OTHER_REQUESTS = 200;
const CHUNK = Buffer.alloc(64 * 1024, "y");

interface Answer {
  status: number;
  type: string;
  text: string;
  body: any;
}

/** One request; `streamed` sends that many bytes of a JSON string value, chunked, with no Content-Length. */
function send(
  origin: string,
  method: string,
  pathname: string,
  options: { headers?: Record<string, string>; body?: string; streamed?: number; agent?: http.Agent } = {},
): Promise<Answer & { socket: net.Socket }> {
  const { port } = new URL(origin); // wrangler listens on 127.0.0.1 only
  const headers: Record<string, string> = { ...options.headers };
  if (options.streamed !== undefined) headers["transfer-encoding"] = "chunked";
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: "127.0.0.1", port, method, path: pathname, headers, agent: options.agent ?? false },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (part) => {
          text += part;
        });
        response.on("error", reject);
        response.on("end", () => {
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          const type = response.headers["content-type"] ?? "";
          resolve({ status: response.statusCode ?? 0, type, text, body, socket: request.socket as net.Socket });
        });
      },
    );
    request.on("error", reject);
    if (options.streamed === undefined) {
      request.end(options.body);
      return;
    }
    const total = options.streamed;
    let sent = 0;
    request.write('{"code":"');
    const pump = () => {
      while (sent < total) {
        sent += CHUNK.length;
        if (!request.write(CHUNK)) {
          request.once("drain", pump);
          return;
        }
      }
      request.end('"}');
    };
    pump();
  });
}

/** A connection that failed, as an answer the assertions can name. */
const failed = (what: string) => (error: Error) => ({
  status: 0,
  type: "",
  text: `${what}: ${error.message}`,
  body: undefined,
});

function expectEnvelope(answer: Answer, status: number, code: string) {
  expect(answer.status, answer.text.slice(0, 200)).toBe(status);
  expect(answer.type).toMatch(/^application\/json/);
  expect(answer.body?.error?.code, answer.text.slice(0, 200)).toBe(code);
}

describe("an oversized streamed body under wrangler dev", () => {
  let dataDir: string;
  let stack: DevStack | undefined;
  let running: RunningDevStack;
  let output = "";
  const keepTail = (text: string) => {
    output = (output + text).slice(-20_000);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "muster-oversized-"));
    chmodSync(dataDir, 0o755); // the postgres user (when running as root) must reach its data directory
    stack = new DevStack({
      port: await freePort(),
      dataDir,
      database: { port: await freePort(), proxyPort: await freePort(), ephemeral: true },
      mailbox: { port: 0 },
      persistTo: path.join(dataDir, "wrangler"),
      wranglerOutput: keepTail,
      log: keepTail,
    });
    running = await stack.start();
    if (!running.healthy) throw new Error(`wrangler dev did not become healthy:\n${output}`);
  });

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("gets 413 every time, on a connection that stays usable, while every other client is served", async () => {
    const { origin } = running;
    const json = { "content-type": "application/json" };
    const token = await signDevToken(running.keys, { email: "streamer@example.com" });
    // The dev front gives every client here the same address (127.0.0.1), as the edge would: the other client
    // is a person with a bucket of their own, reading through the database, and the anonymous health check.
    const otherToken = await signDevToken(running.keys, { email: "alice@example.com" });
    const health: Answer[] = [];
    const reads: Answer[] = [];
    const serveOthers = async () => {
      health.push(await send(origin, "GET", "/healthz").catch(failed("GET /healthz")));
      const read = { headers: { authorization: `Bearer ${otherToken}` } };
      reads.push(await send(origin, "GET", "/v1/organisations", read).catch(failed("GET /v1/organisations")));
    };

    // The attacker keeps one connection: a refusal that reads the whole body leaves it fit for the next request.
    const attacker = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const attackerSockets = new Set<net.Socket>();
    const refusals: Answer[] = [];
    let attacking = true;
    const othersMeanwhile = (async () => {
      // Bounded, so the shared per-address allowance (600 a minute) is never what refuses anyone.
      while (attacking && health.length < MAX_OTHER_REQUESTS) await serveOthers();
    })();
    try {
      for (let round = 0; round < ROUNDS; round++) {
        for (const [pathname, headers] of [
          ["/v1/invitations:lookup", json],
          ["/v1/organisations", { ...json, authorization: `Bearer ${token}` }],
        ] as const) {
          const answer = await send(origin, "POST", pathname, { headers, streamed: OVERSIZED, agent: attacker }).catch(
            failed(pathname),
          );
          if ("socket" in answer) attackerSockets.add(answer.socket);
          refusals.push(answer);
          // The next request from anyone else, right after the refusal.
          await serveOthers();
        }
      }
    } finally {
      attacking = false;
      await othersMeanwhile;
      attacker.destroy();
    }

    expect(refusals).toHaveLength(ROUNDS * 2);
    for (const refusal of refusals) {
      expectEnvelope(refusal, 413, "payload_too_large");
      expect(refusal.body.error.limit).toBe(LIMIT);
    }
    expect(attackerSockets.size).toBe(1);
    expect(health.length).toBeGreaterThan(ROUNDS * 2);
    for (const answer of health) {
      expect(answer.status, answer.text.slice(0, 200)).toBe(200);
      expect(answer.type).toMatch(/^application\/json/);
      expect(answer.body).toMatchObject({ status: "ok" });
    }
    for (const answer of reads) {
      expect(answer.status, answer.text.slice(0, 200)).toBe(200);
      expect(answer.body).toMatchObject({ object: "list" });
    }
  });
});
