// npm run dev — the whole API on this machine: embedded Postgres (or DATABASE_URL), its WebSocket proxy,
// migrations, the demo seed, dev signing keys, and the gateway under `wrangler dev`. Ctrl-C stops it all.
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { ID_PREFIX, toTypeId } from "../functions/platform/ids";
import { parseCommand } from "./cli";
import { DEV_COMMAND } from "./dev-usage";
import { DEV_AUDIENCE, DEV_ISSUER, loadOrCreateDevKeys, publicJwks, signDevToken } from "./keys";
import { startStack } from "./local-stack";
import { type Mailbox, startMailbox } from "./mailbox";
import { applyMigrations, nodeDatabase } from "./node-client";
import { DATA_DIR, DEV_KEYS_FILE, ROOT } from "./paths";
import { seedDemo } from "./seed-data";

parseCommand(DEV_COMMAND); // --help (or a wrong argument) answers before anything starts
const port = Number(process.env.PORT ?? 8787);
const origin = `http://localhost:${port}`;
const say = (line: string) => console.log(`[muster] ${line}`);

say(process.env.DATABASE_URL ? "using DATABASE_URL" : "starting the embedded PostgreSQL (data in .data/postgres)");
let stopping = false;
const stack = await startStack((line) => {
  if (!stopping) console.error(line);
});
let wrangler: ChildProcess | undefined;
let mailbox: Mailbox | undefined;

/** wrangler runs workerd as a child of its own: signal the whole process group so nothing is left behind. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say("stopping");
    if (wrangler?.pid && wrangler.exitCode === null) {
      const exited = new Promise((resolve) => wrangler?.once("exit", resolve));
      signalGroup(wrangler.pid, "SIGINT");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (wrangler.exitCode === null) signalGroup(wrangler.pid, "SIGKILL");
    }
    await mailbox?.close().catch((error) => console.error(error));
    await stack.stop().catch((error) => console.error(error));
  }
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  await applyMigrations(stack.databaseUrl, stack.wsProxy);
  say("migrations applied");
  const { db, pool } = nodeDatabase(stack.databaseUrl, stack.wsProxy);
  const seed = await seedDemo(db);
  await pool.end();
  const keys = await loadOrCreateDevKeys(DEV_KEYS_FILE);
  // The dev mailbox plays the email and SMS providers and shows what was sent. MAILBOX_URL points at one
  // started separately (`npm run mailbox`), which you can stop and start to see delivery retried.
  mailbox = process.env.MAILBOX_URL
    ? undefined
    : await startMailbox({
        port: Number(process.env.MAILBOX_PORT ?? 8025),
        storeFile: path.join(DATA_DIR, "mailbox.json"),
        apiUrl: origin,
        mintToken: async (email) => signDevToken(await loadOrCreateDevKeys(DEV_KEYS_FILE), { email }),
      });
  const mailboxUrl = process.env.MAILBOX_URL ?? (mailbox as Mailbox).url;

  const vars: Record<string, string> = {
    DATABASE_URL: stack.databaseUrl,
    LOCAL_WS_PROXY: stack.wsProxy ?? "",
    AUTH_ISSUER: DEV_ISSUER,
    AUTH_AUDIENCE: DEV_AUDIENCE,
    AUTH_JWKS: JSON.stringify(publicJwks([keys.identityProvider])),
    AUTH_JWKS_URL: "",
    API_ISSUER: origin,
    API_SIGNING_KEYS: JSON.stringify(keys.api),
    CORS_ORIGINS: origin,
    APP_VERSION: "dev",
    EMAIL_PROVIDER_URL: mailboxUrl,
    EMAIL_API_KEY: "dev",
    EMAIL_FROM: "Muster (dev) <invitations@muster.localhost>",
    SMS_PROVIDER_URL: mailboxUrl,
    SMS_ACCOUNT_SID: "ACdev",
    SMS_AUTH_TOKEN: "dev",
    INVITATION_URL: `${mailboxUrl}/invitations/{code}`,
    WEBHOOK_SECRET: keys.webhookSecret,
  };
  const varsFile = path.join(DATA_DIR, "dev.vars");
  writeFileSync(
    varsFile,
    Object.entries(vars)
      .map(([k, v]) => `${k}='${v}'`)
      .join("\n"),
    { mode: 0o600 },
  );

  const wranglerBin = path.join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
  wrangler = spawn(
    process.execPath,
    [
      wranglerBin,
      "dev",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--env-file",
      varsFile,
      "--show-interactive-dev-session=false",
      "--test-scheduled",
    ],
    {
      cwd: ROOT,
      detached: true, // its own process group, signalled as a whole on shutdown
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, XDG_CONFIG_HOME: path.join(ROOT, ".config"), WRANGLER_SEND_METRICS: "false" },
    },
  );
  wrangler.on("exit", (code) => {
    if (!stopping) {
      say(`wrangler exited (${code})`);
      void shutdown(code ?? 1);
    }
  });

  for (let attempt = 0; attempt < 120; attempt++) {
    const healthy = await fetch(`${origin}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (healthy) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  // `wrangler dev` does not fire cron triggers by itself; drive the cron (expiry, outbox sweep) once a minute.
  const cron = setInterval(() => {
    fetch(`${origin}/__scheduled?cron=*+*+*+*+*`).catch(() => {});
  }, 60_000);
  cron.unref();
  const credentials = seed.clientSecret
    ? `client_id=${seed.clientId} client_secret=${seed.clientSecret}  (shown once: note it now)`
    : `client_id=${seed.clientId} (its secret was printed by the first run; issue another with POST /v1/service-accounts/{id}/credentials)`;
  console.log(`
  Muster API     ${origin}
  Health         ${origin}/healthz
  Docs           ${origin}/docs   (document: ${origin}/openapi.json)

  Get a token:   TOKEN=$(npm run -s token -- alice@example.com)
                 curl -H "Authorization: Bearer $TOKEN" ${origin}/v1/organisations
  Demo people:   alice@example.com (owner), bob@example.com (admin), carol@example.com (member)
  Demo service account: ${credentials}
                 curl -X POST ${origin}/v1/oauth/token -H 'content-type: application/json' \\
                   -d '{"grant_type":"client_credentials","client_id":"…","client_secret":"…"}'

  Dev mailbox:   ${mailboxUrl}   (every email and SMS the API sends; pause it to play a provider outage)
  Invite:        curl -X POST ${origin}/v1/invitations -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
                   -d '{"organisation_id":"${toTypeId(ID_PREFIX.organisation, seed.organisationId)}","email":"dave@example.com","role_id":"<from GET /v1/roles>"}'
  Webhook:       npm run -s webhook:example   (a signed request to /v1/webhooks/invitation-emails)

  Ctrl-C stops the API, the mailbox and the database.
`);
} catch (error) {
  console.error(error);
  await shutdown(1);
}
