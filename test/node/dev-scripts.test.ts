// The dev scripts in db/ as a person runs them: --help and argument errors answer before anything starts, a
// server that is not there is one line and exit 1, and webhook:example's exit code follows the API's reply.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOrCreateDevKeys } from "../../db/local/keys";
import { DEV_KEYS_FILE, ROOT } from "../../db/paths";
import { freePort } from "../free-port";

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

const SCRIPTS = {
  token: "db/local/token.ts",
  "webhook:example": "db/local/webhook-example.ts",
  mailbox: "db/local/mailbox-cli.ts",
  openapi: "db/local/openapi.ts",
  "db:migrate": "db/migrate.ts",
  "db:seed": "db/seed.ts",
  dev: "db/local/dev.ts",
} as const;
type Script = keyof typeof SCRIPTS;

/** Runs a script the way package.json does (tsx), with only the environment given here for the stack's ports. */
function runScript(script: Script, args: string[], env: Record<string, string> = {}): Promise<Outcome> {
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
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split("\n");
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  return lines[0] as string;
}

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
type Reply = { status: number; body: unknown };

/** A stand-in for the API: answers each request with `answer`, remembers what it was sent. */
async function fakeApi(answer: (request: Seen) => Reply) {
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

const envelope = (code: string, message: string) => ({ error: { code, message, request_id: "req_test" } });

// Where the scripts would find their servers: ports nobody listens on, and one that is taken (`blocked`), so a
// script that went on past --help would fail instead of starting anything.
let env: Record<string, string>;
let apiPort: number;
let blocker: net.Server;
let scratch: string;

beforeAll(async () => {
  // The scripts sign with the dev keys; create them once here rather than in racing children.
  await loadOrCreateDevKeys(DEV_KEYS_FILE);
  blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  const blocked = String((blocker.address() as AddressInfo).port);
  apiPort = await freePort();
  env = {
    PORT: String(apiPort),
    MAILBOX_PORT: blocked,
    DATABASE_URL: `postgres://muster:hunter2@localhost:${await freePort()}/muster`,
    MUSTER_PG_PORT: blocked,
    MUSTER_WS_PROXY_PORT: blocked,
  };
  scratch = mkdtempSync(path.join(tmpdir(), "muster-dev-scripts-"));
});

afterAll(async () => {
  await new Promise((resolve) => blocker?.close(resolve));
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe.concurrent("every dev script", () => {
  it.for(Object.keys(SCRIPTS) as Script[])(
    "%s answers --help with its usage, and does nothing else",
    async (script) => {
      // openapi would write its argument; token would print a token after the usage
      const unwritten = path.join(scratch, `${path.basename(SCRIPTS[script], ".ts")}.json`);
      const { code, stdout, stderr } = await runScript(
        script,
        ["--help", ...(script === "openapi" ? [unwritten] : [])],
        env,
      );
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      expect(stdout).toMatch(new RegExp(`^usage: npm run (-s )?${script}\\b`));
      expect(stdout).toContain("\nOptions:\n");
      expect(stdout).toContain("\nExample");
      expect(stdout).not.toMatch(/eyJ/);
      expect(existsSync(unwritten)).toBe(false);
    },
  );

  it("-h is --help", async () => {
    const [short, long] = await Promise.all([runScript("token", ["-h"], env), runScript("token", ["--help"], env)]);
    expect(short).toEqual(long);
  });

  it.for(Object.keys(SCRIPTS) as Script[])("%s refuses an unknown option with one line and exit 2", async (script) => {
    const { code, stdout, stderr } = await runScript(script, ["--bogus"], env);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(oneLine(stderr)).toBe(`muster: unknown option '--bogus' (see \`npm run ${script} -- --help\`)`);
  });
});

describe.concurrent("arguments", () => {
  it.for([
    { args: [], problem: "missing <email>" },
    { args: ["not-an-email"], problem: "'not-an-email' is not an email address" },
    { args: ["alice@example.com", "bob@example.com"], problem: "unexpected argument 'bob@example.com'" },
    { args: ["alice@example.com", "--scope"], problem: "--scope needs a value" },
    { args: ["alice@example.com", "--expires", "soonish"], problem: "--expires: Invalid time period format" },
  ])("token $args: $problem, exit 2", async ({ args, problem }) => {
    const { code, stdout, stderr } = await runScript("token", args, env);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(oneLine(stderr)).toBe(`muster: ${problem} (see \`npm run token -- --help\`)`);
  });

  it("webhook:example takes only an http(s) --api", async () => {
    const { code, stderr } = await runScript("webhook:example", ["--api", "localhost:8787"], env);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toMatch(/^muster: --api: 'localhost:8787' is not an http\(s\) URL/);
  });

  it("mailbox refuses a MAILBOX_PORT that is not a port", async () => {
    const { code, stderr } = await runScript("mailbox", [], { ...env, MAILBOX_PORT: "eighty" });
    expect(code).toBe(2);
    expect(oneLine(stderr)).toMatch(/^muster: MAILBOX_PORT must be a port number, not 'eighty'/);
  });

  it("openapi writes the document where it is told, an absolute path included", async () => {
    const out = path.join(scratch, "document.json");
    const { code, stderr } = await runScript("openapi", [out], env);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(JSON.parse(readFileSync(out, "utf8")).openapi).toMatch(/^3\.1\./);
  });
});

describe.concurrent("with no server to talk to", () => {
  it.for([
    { event: "invitation.create", args: [] },
    { event: "invitation.send", args: ["--send", "inv_01hzz"] },
  ])("webhook:example ($event) says in one line that the API is not running, exit 1", async ({ args }) => {
    const { code, stdout, stderr } = await runScript("webhook:example", args, env);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(oneLine(stderr)).toBe(
      `muster: cannot reach the API at http://localhost:${apiPort} — is \`npm run dev\` running?`,
    );
  });

  it.for(["db:migrate", "db:seed"] as const)(
    "%s says in one line that the database is not there, exit 1",
    async (script) => {
      // DATABASE_URL points nowhere; the proxy in front of it needs a free port of its own
      const { code, stderr } = await runScript(script, [], { ...env, MUSTER_WS_PROXY_PORT: String(await freePort()) });
      expect(code).toBe(1);
      const line = oneLine(stderr);
      expect(line).toBe(
        `muster: cannot reach the database at ${env.DATABASE_URL?.replace(":hunter2", "")} — is it running?`,
      );
    },
  );

  it("mailbox says in one line that its port is taken, exit 1", async () => {
    const { code, stderr } = await runScript("mailbox", [], env);
    expect(code).toBe(1);
    expect(oneLine(stderr)).toMatch(/^muster: cannot start the mailbox on port \d+: .*EADDRINUSE/);
  });

  it("token needs no server: it prints the token and nothing else", async () => {
    const { code, stdout, stderr } = await runScript("token", ["alice@example.com", "--scope", "read"], env);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toMatch(/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+\n$/);
  });
});

describe.concurrent("webhook:example against an API that answers", () => {
  it.for([
    {
      status: 400,
      body: envelope("validation_error", "data.invitation_id: Invalid"),
      shown: "validation_error: data.invitation_id: Invalid",
    },
    {
      status: 503,
      body: envelope("service_unavailable", "The webhook is not configured (WEBHOOK_SECRET)."),
      shown: "service_unavailable: The webhook is not configured (WEBHOOK_SECRET).",
    },
    { status: 502, body: "<html>Bad Gateway</html>", shown: "<html>Bad Gateway</html>" },
  ])("exits 1 on a $status, with the status and the error's code and message", async ({ status, body, shown }) => {
    const api = await fakeApi(() => ({ status, body }));
    try {
      const { code, stdout, stderr } = await runScript(
        "webhook:example",
        ["--api", api.url, "--send", "inv_01hzz"],
        env,
      );
      expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
      expect(oneLine(stderr)).toBe(
        `muster: POST /v1/webhooks/invitation-emails (invitation.send) → ${status} ${shown}`,
      );
      expect(api.seen).toHaveLength(1);
    } finally {
      await api.close();
    }
  });

  it("exits 1 when looking up the demo organisation is refused", async () => {
    const api = await fakeApi(() => ({
      status: 401,
      body: envelope("authentication_failed", "The token is not valid."),
    }));
    try {
      const { code, stderr } = await runScript("webhook:example", ["--api", api.url], env);
      expect(code).toBe(1);
      expect(oneLine(stderr)).toBe(
        "muster: GET /v1/organisations → 401 authentication_failed: The token is not valid.",
      );
      expect(api.seen.map((r) => r.url)).toEqual(["/v1/organisations"]);
    } finally {
      await api.close();
    }
  });

  it("exits 0 on success, having sent a signed invitation.create for the demo organisation", async () => {
    const api = await fakeApi(({ url }) => {
      if (url === "/v1/organisations") return { status: 200, body: { data: [{ id: "org_demo" }] } };
      if (url === "/v1/roles?organisation_id=org_demo") {
        return {
          status: 200,
          body: {
            data: [
              { id: "role_admin", key: "admin" },
              { id: "role_member", key: "member" },
            ],
          },
        };
      }
      return { status: 200, body: { object: "webhook_receipt", status: "processed" } };
    });
    try {
      const { code, stdout, stderr } = await runScript(
        "webhook:example",
        ["--api", `${api.url}/`, "--email", "zoe@example.com"],
        env,
      );
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      expect(stdout).toMatch(/^POST \/v1\/webhooks\/invitation-emails \(invitation\.create\) → 200\n/);
      expect(stdout).toContain('"status": "processed"');
      const posted = api.seen.at(-1) as Seen;
      expect(posted.url).toBe("/v1/webhooks/invitation-emails");
      expect(posted.headers["webhook-signature"]).toMatch(/^v1,/);
      expect(JSON.parse(posted.body)).toMatchObject({
        type: "invitation.create",
        data: { organisation_id: "org_demo", role_id: "role_member", email: "zoe@example.com" },
      });
    } finally {
      await api.close();
    }
  });
});
