// The whole API on this machine, as `npm run dev` runs it and as the Node-side suites drive it: a database
// (embedded Postgres or DATABASE_URL) and its WebSocket proxy, migrations, the demo seed, dev signing keys, the
// dev mailbox, and the gateway under `wrangler dev`. stop() takes down whatever has been started, at any point.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { unstable_readConfig } from "wrangler";
import { parseConfig } from "../../functions/platform/config";
import { applyMigrations, nodeDatabase } from "../node-client";
import { ROOT } from "../paths";
import { type DemoSeed, seedDemo } from "../seed-data";
import { type DevFront, startDevFront } from "./front";
import {
  DEV_AUDIENCE,
  DEV_ISSUER,
  DEV_PLATFORM_ADMIN,
  type DevKeys,
  loadOrCreateDevKeys,
  publicJwks,
  signDevToken,
} from "./keys";
import { type Mailbox, startMailbox } from "./mailbox";
import { startLocalDatabase } from "./postgres";
import { type Stack, startStack } from "./stack";

export interface DevStackOptions {
  /** The API's port on 127.0.0.1. */
  port: number;
  /** Dev keys, the mailbox's messages and the wrangler env file live here (`.data` for `npm run dev`). */
  dataDir: string;
  /** An embedded Postgres of its own in `dataDir/postgres`; by default the database `startStack` picks. */
  database?: { port: number; proxyPort: number; ephemeral?: boolean };
  /** A mailbox to start (0 = a free port), or the URL of one already running. */
  mailbox: { port: number } | { url: string };
  /** Where wrangler keeps local state (rate limits, queues); by default its own `.wrangler/state`. */
  persistTo?: string;
  /** wrangler's output; by default the terminal's. */
  wranglerOutput?: (text: string) => void;
  /** Progress lines. */
  say?: (line: string) => void;
  /** The database's error lines (not printed once stopping). */
  log?: (line: string) => void;
  /** wrangler exited by itself (not through stop()). */
  onExit?: (code: number | null) => void;
}

export interface RunningDevStack {
  origin: string;
  mailboxUrl: string;
  keys: DevKeys;
  seed: DemoSeed;
  healthy: boolean;
}

const HEALTH_ATTEMPTS = 120;
const HEALTH_INTERVAL_MS = 500;
const STOP_GRACE_MS = 5000;

/** wrangler runs workerd as a child of its own: signal the whole process group so nothing is left behind. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export class DevStack {
  private database: Stack | undefined;
  private mailbox: Mailbox | undefined;
  private wrangler: ChildProcess | undefined;
  private front: DevFront | undefined;
  private cron: NodeJS.Timeout | undefined;
  private stopping = false;
  private starting: Promise<unknown> | undefined;
  /** Should this process end without stop() (a crash, process.exit), workerd must not outlive it. */
  private readonly killOnExit = () => {
    if (this.wrangler?.pid && this.wrangler.exitCode === null) signalGroup(this.wrangler.pid, "SIGKILL");
  };

  constructor(private readonly options: DevStackOptions) {}

  get origin(): string {
    return `http://localhost:${this.options.port}`;
  }

  start(): Promise<RunningDevStack> {
    const starting = this.run();
    this.starting = starting;
    return starting;
  }

  /** Takes down everything started so far; a start() under way gives up at its next step. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    await this.starting?.catch(() => {});
    clearInterval(this.cron);
    const { wrangler } = this;
    if (wrangler?.pid && wrangler.exitCode === null) {
      const exited = new Promise((resolve) => wrangler.once("exit", resolve));
      signalGroup(wrangler.pid, "SIGINT");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS))]);
      // Whatever is left of the group (workerd included) goes now.
      signalGroup(wrangler.pid, "SIGKILL");
    }
    process.removeListener("exit", this.killOnExit);
    await this.front?.close().catch((error) => console.error(error));
    await this.mailbox?.close().catch((error) => console.error(error));
    await this.database?.stop().catch((error) => console.error(error));
  }

  private async run(): Promise<RunningDevStack> {
    const { options, origin } = this;
    const log = (line: string) => {
      if (!this.stopping) options.log?.(line);
    };
    mkdirSync(options.dataDir, { recursive: true });
    this.database = options.database
      ? {
          ...(await startLocalDatabase({
            dataDir: path.join(options.dataDir, "postgres"),
            port: options.database.port,
            proxyPort: options.database.proxyPort,
            ephemeral: options.database.ephemeral,
            log,
          })),
          pipelineConnect: true,
        }
      : await startStack(log);
    const { databaseUrl, wsProxy, pipelineConnect } = this.database;
    this.checkNotStopped();
    await applyMigrations(databaseUrl, wsProxy, { pipelineConnect });
    options.say?.("migrations applied");
    const { db, pool } = nodeDatabase(databaseUrl, wsProxy, { pipelineConnect });
    const seed = await seedDemo(db).finally(() => pool.end());
    const keysFile = path.join(options.dataDir, "dev-keys.json");
    const keys = await loadOrCreateDevKeys(keysFile);
    this.checkNotStopped();
    // The dev mailbox plays the email and SMS providers and shows what was sent.
    if ("port" in options.mailbox) {
      this.mailbox = await startMailbox({
        port: options.mailbox.port,
        storeFile: path.join(options.dataDir, "mailbox.json"),
        mintToken: async (who) => signDevToken(await loadOrCreateDevKeys(keysFile), who),
      });
    }
    const mailboxUrl = "url" in options.mailbox ? options.mailbox.url : (this.mailbox as Mailbox).url;
    this.checkNotStopped();

    const envFile = path.join(options.dataDir, "dev.vars");
    const vars = workerVars({ origin, databaseUrl, wsProxy, pipelineConnect, keys, mailboxUrl });
    // The Worker refuses every request over a bad variable: name it now, before wrangler starts.
    parseConfig({
      ...unstable_readConfig({ config: path.join(ROOT, "wrangler.toml") }, { hideWarnings: true }).vars,
      ...vars,
    });
    writeFileSync(envFile, envFileText(vars), { mode: 0o600 });
    // PORT is the dev front, which sets CF-Connecting-IP as the edge does; wrangler listens behind it.
    this.front = await startDevFront({ port: options.port });
    this.spawnWrangler(envFile, this.front.upstreamPort);
    const healthy = await this.waitForHealth();
    this.checkNotStopped();
    // `wrangler dev` does not fire cron triggers by itself; drive the cron (expiry, outbox sweep) once a minute.
    this.cron = setInterval(() => {
      fetch(`${origin}/__scheduled?cron=*+*+*+*+*`).catch(() => {});
    }, 60_000);
    this.cron.unref();
    return { origin, mailboxUrl, keys, seed, healthy };
  }

  private checkNotStopped(): void {
    if (this.stopping) throw new Error("the dev stack was stopped while starting");
  }

  private spawnWrangler(envFile: string, port: number): void {
    const { options } = this;
    const wranglerBin = path.join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
    const args = [wranglerBin, "dev", "--port", String(port), "--ip", "127.0.0.1", "--env-file", envFile];
    args.push("--show-interactive-dev-session=false", "--test-scheduled");
    if (options.persistTo) args.push("--persist-to", options.persistTo);
    const output = options.wranglerOutput;
    const wrangler = spawn(process.execPath, args, {
      cwd: ROOT,
      detached: true, // its own process group, signalled as a whole on stop
      stdio: ["ignore", output ? "pipe" : "inherit", output ? "pipe" : "inherit"],
      // No request.cf lookup: it needs the internet, and offline it prints a stack trace on every start.
      env: {
        ...process.env,
        XDG_CONFIG_HOME: path.join(ROOT, ".config"),
        WRANGLER_SEND_METRICS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
      },
    });
    this.wrangler = wrangler;
    process.on("exit", this.killOnExit);
    if (output) {
      wrangler.stdout?.setEncoding("utf8").on("data", output);
      wrangler.stderr?.setEncoding("utf8").on("data", output);
    }
    wrangler.on("exit", (code) => {
      if (!this.stopping) options.onExit?.(code);
    });
  }

  private async waitForHealth(): Promise<boolean> {
    for (let attempt = 0; attempt < HEALTH_ATTEMPTS; attempt++) {
      if (this.stopping || !this.wrangler || this.wrangler.exitCode !== null) return false;
      const healthy = await fetch(`${this.origin}/healthz`)
        .then((r) => r.ok)
        .catch(() => false);
      if (healthy) return true;
      await new Promise((resolve) => setTimeout(resolve, HEALTH_INTERVAL_MS));
    }
    return false;
  }
}

function workerVars(stack: {
  origin: string;
  databaseUrl: string;
  wsProxy: string | undefined;
  pipelineConnect: boolean;
  keys: DevKeys;
  mailboxUrl: string;
}): Record<string, string> {
  const { origin, keys, mailboxUrl } = stack;
  return {
    DATABASE_URL: stack.databaseUrl,
    LOCAL_WS_PROXY: stack.wsProxy ?? "",
    DATABASE_PIPELINE_CONNECT: String(stack.pipelineConnect),
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
    // The mailbox posts each SMS's delivery receipts here, signed with SMS_AUTH_TOKEN as Twilio does.
    SMS_STATUS_CALLBACK_URL: `${origin}/v1/webhooks/sms-status`,
    INVITATION_URL: `${origin}/invite#code={code}`,
    WEBHOOK_SECRET: keys.webhookSecret,
    // `npm run -s token -- admin@example.com` is a platform administrator locally.
    PLATFORM_ADMINS: DEV_PLATFORM_ADMIN,
  };
}

const envFileText = (vars: Record<string, string>) =>
  Object.entries(vars)
    .map(([k, v]) => `${k}='${v}'`)
    .join("\n");
