// Load against the real local server: the gateway under `wrangler dev` (workerd), driven by autocannon with a
// fixed number of connections for a fixed time, on loopback only. It talks to wrangler directly, without the dev
// front `npm run dev` puts before it (db/local/front.ts), so that the /healthz run below can spread itself over
// client addresses: the front, like Cloudflare's edge, would overwrite them.
//
// The server keeps its rate limits (the demo organisation's pro plan: 600 requests a minute per credential; 300 a
// minute per client address without a token), counted by the limiter's Durable Objects. To measure the server rather than that policy, each run spreads its
// requests over CLIENTS simulated clients: the roles run rotates over members' tokens (one credential each);
// the /healthz run rotates the CF-Connecting-IP header over documentation addresses (192.0.2.0/24), which is
// only a header — every connection is to 127.0.0.1 — and which wrangler alone passes through where Cloudflare
// (or the dev front) would set it. Any 429 still shows up as non-2xx.
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { and, eq } from "drizzle-orm";
import { DEV_ISSUER, signDevToken } from "../../db/local/keys";
import { nodeDatabase } from "../../db/node-client";
import { ROOT } from "../../db/paths";
import { memberships, roles, users } from "../../schema";
import { freePort } from "../free-port";
import { type BenchStack, type Section, table } from "./setup";

const CONNECTIONS = 10;
const DURATION_SECONDS = 10;
const CLIENTS = 50;

/** Members with the built-in viewer role, one token each. */
async function memberTokens(stack: BenchStack): Promise<string[]> {
  const { db, pool } = nodeDatabase(stack.env.DATABASE_URL, stack.env.LOCAL_WS_PROXY);
  try {
    const [viewer] = await db
      .select({ id: roles.id })
      .from(roles)
      .where(and(eq(roles.organisationId, stack.organisationUuid), eq(roles.key, "viewer")));
    if (!viewer) throw new Error("no viewer role in the demo organisation");
    const emails = Array.from({ length: CLIENTS }, (_, i) => `load-${i}@example.com`);
    const created = await db
      .insert(users)
      .values(emails.map((email) => ({ issuer: DEV_ISSUER, subject: `dev|${email}`, email, emailVerified: true })))
      .returning({ id: users.id });
    await db
      .insert(memberships)
      .values(created.map((user) => ({ organisationId: stack.organisationUuid, userId: user.id, roleId: viewer.id })));
    return Promise.all(emails.map((email) => signDevToken(stack.keys, { email })));
  } finally {
    await pool.end();
  }
}

interface Server {
  origin: string;
  stop(): Promise<void>;
}

async function startWrangler(stack: BenchStack): Promise<Server> {
  const port = await freePort();
  const inspectorPort = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const vars: Record<string, string> = {
    ...(stack.env as unknown as Record<string, string>),
    AUTH_JWKS_URL: "",
    API_ISSUER: origin,
    CORS_ORIGINS: origin,
  };
  const varsFile = path.join(stack.tmpDir, "bench.vars");
  writeFileSync(
    varsFile,
    Object.entries(vars)
      .map(([k, v]) => `${k}='${v}'`)
      .join("\n"),
    { mode: 0o600 },
  );
  let output = "";
  // Its own process group (detached), so stopping it reaches workerd too; stopped by that group's id only.
  const child: ChildProcess = spawn(
    path.join(ROOT, "node_modules", ".bin", "wrangler"),
    [
      "dev",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--inspector-port",
      String(inspectorPort),
      "--env-file",
      varsFile,
      "--persist-to",
      path.join(stack.tmpDir, "wrangler-state"),
      "--show-interactive-dev-session=false",
      "--log-level",
      "warn",
    ],
    {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      // No request.cf lookup: it needs the internet, and offline it prints a stack trace on every start.
      env: {
        ...process.env,
        XDG_CONFIG_HOME: path.join(ROOT, ".config"),
        WRANGLER_SEND_METRICS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
      },
    },
  );
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-(child.pid as number), name);
      } catch {
        // already gone
      }
    };
    signal("SIGINT");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (child.exitCode === null) signal("SIGKILL");
  };
  for (let attempt = 0; attempt < 240; attempt++) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output}`);
    const healthy = await fetch(`${origin}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (healthy) return { origin, stop };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await stop();
  throw new Error(`wrangler dev did not become healthy in 120 s:\n${output}`);
}

/** Each request takes the next header set in turn (one per simulated client). */
async function drive(url: string, clients: Record<string, string>[]): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    requests: [
      {
        method: "GET",
        setupRequest: (request) => ({
          ...request,
          headers: { ...request.headers, ...clients[next++ % clients.length] },
        }),
      },
    ],
  });
}

function row(name: string, result: autocannon.Result): (string | number)[] {
  const statuses = Object.entries(result.statusCodeStats)
    .map(([code, { count }]) => `${code}:${count}`)
    .join(" ");
  return [
    name,
    result.requests.total,
    result.requests.average.toFixed(0),
    result.latency.p50,
    result.latency.p99,
    result.non2xx,
    result.errors,
    statuses,
  ];
}

export async function load(stack: BenchStack): Promise<Section> {
  const tokens = await memberTokens(stack);
  const server = await startWrangler(stack);
  stack.defer(server.stop);
  try {
    const rolesRun = await drive(
      `${server.origin}/v1/roles?organisation_id=${stack.organisationId}`,
      tokens.map((token) => ({ authorization: `Bearer ${token}` })),
    );
    const healthRun = await drive(
      `${server.origin}/healthz`,
      Array.from({ length: CLIENTS }, (_, i) => ({ "cf-connecting-ip": `192.0.2.${i + 1}` })),
    );
    return {
      title: `Load: wrangler dev (workerd) on loopback, autocannon ${CONNECTIONS} connections x ${DURATION_SECONDS} s`,
      lines: [
        ...table([
          ["endpoint", "requests", "req/s", "p50 ms", "p99 ms", "non-2xx", "errors", "status codes"],
          row(`GET /v1/roles?organisation_id= (${CLIENTS} tokens)`, rolesRun),
          row(`GET /healthz (no token, ${CLIENTS} client IPs)`, healthRun),
        ]),
        "",
        `Requests rotate over ${CLIENTS} clients (tokens / CF-Connecting-IP) so the rate limits (600 a minute per`,
        "credential, 300 per address) are not what is measured. Every request opens its own database connection",
        "(one pool per request).",
      ],
    };
  } finally {
    await server.stop();
  }
}
