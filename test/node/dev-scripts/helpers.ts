// What the dev-script suites share: running a script as package.json does, the one line it may say on stderr,
// a stand-in for the API, and surroundings in which no server the scripts look for is there.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { ROOT } from "../../../db/paths";
import { freePort } from "../../free-port";

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const SCRIPTS = {
  token: "db/local/token.ts",
  keys: "db/local/keys-cli.ts",
  "webhook:example": "db/local/webhook-example.ts",
  mailbox: "db/local/mailbox-cli.ts",
  openapi: "db/local/openapi.ts",
  "db:migrate": "db/migrate.ts",
  "db:seed": "db/seed.ts",
  dev: "db/local/dev.ts",
} as const;
export type Script = keyof typeof SCRIPTS;

/** Runs a script the way package.json does (tsx), with only the environment given here for the stack's ports. */
export function runScript(script: Script, args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  const inherited = { ...process.env };
  for (const name of ["DATABASE_URL", "PORT", "MAILBOX_PORT", "MAILBOX_URL", "MUSTER_DEBUG"]) delete inherited[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", SCRIPTS[script], ...args], {
      cwd: ROOT,
      env: { ...inherited, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 60_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** One line on stderr and no stack frames. */
export function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split("\n");
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  return lines[0] as string;
}

export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
export type Reply = { status: number; body: unknown };

/** A stand-in for the API: answers each request with `answer`, remembers what it was sent. */
export async function fakeApi(answer: (request: Seen) => Reply) {
  const seen: Seen[] = [];
  const server = http.createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
    seen.push(request);
    const reply = answer(request);
    const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status, { "content-type": typeof reply.body === "string" ? "text/plain" : "application/json" });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise((resolve) => server.close(resolve)) };
}

export const envelope = (code: string, message: string) => ({ error: { code, message, request_id: "req_test" } });

/**
 * Where the scripts would find their servers: ports nobody listens on, and one that is taken (`blocked`), so a
 * script that went on past --help would fail instead of starting anything. `scratch` is a directory to write in.
 */
export interface Surroundings {
  env: Record<string, string>;
  apiPort: number;
  scratch: string;
  close(): Promise<void>;
}

export async function arrangeSurroundings(): Promise<Surroundings> {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  const blocked = String((blocker.address() as AddressInfo).port);
  const apiPort = await freePort();
  const env = {
    PORT: String(apiPort),
    MAILBOX_PORT: blocked,
    DATABASE_URL: `postgres://muster:hunter2@localhost:${await freePort()}/muster`,
    MUSTER_PG_PORT: blocked,
    MUSTER_WS_PROXY_PORT: blocked,
  };
  const scratch = mkdtempSync(path.join(tmpdir(), "muster-dev-scripts-"));
  return {
    env,
    apiPort,
    scratch,
    close: async () => {
      await new Promise((resolve) => blocker.close(resolve));
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
