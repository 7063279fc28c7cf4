// npm run dev — the whole API on this machine: embedded Postgres (or DATABASE_URL), its WebSocket proxy,
// migrations, the demo seed, dev signing keys, and the gateway under `wrangler dev`. Ctrl-C stops it all.
import { ID_PREFIX, toTypeId } from "../../functions/platform/ids";
import { CliError, parseCommand } from "../cli";
import { DATA_DIR } from "../paths";
import { DevStack } from "./dev-stack";
import { DEV_COMMAND } from "./dev-usage";
import { DEV_PLATFORM_ADMIN } from "./keys";

parseCommand(DEV_COMMAND); // --help (or a wrong argument) answers before anything starts
const port = Number(process.env.PORT ?? 8787);
const say = (line: string) => console.log(`[muster] ${line}`);

say(process.env.DATABASE_URL ? "using DATABASE_URL" : "starting the embedded PostgreSQL (data in .data/postgres)");
let stopping = false;
const stack = new DevStack({
  port,
  dataDir: DATA_DIR,
  // MAILBOX_URL points at one started separately (`npm run mailbox`), which you can stop and start to see
  // delivery retried.
  mailbox: process.env.MAILBOX_URL
    ? { url: process.env.MAILBOX_URL }
    : { port: Number(process.env.MAILBOX_PORT ?? 8025) },
  say,
  log: (line) => console.error(line),
  onExit: (code) => {
    say(`wrangler exited (${code})`);
    void shutdown(code ?? 1);
  },
});

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say("stopping");
    await stack.stop();
  }
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  const { origin, mailboxUrl, seed } = await stack.start();
  const credentials = seed.clientSecret
    ? `client_id=${seed.clientId} client_secret=${seed.clientSecret}  (shown once: note it now)`
    : `client_id=${seed.clientId} (its secret was printed by the first run; issue another with POST /v1/service-accounts/{id}/credentials)`;
  console.log(`
  Muster API     ${origin}
  Health         ${origin}/healthz
  Docs           ${origin}/docs   (document: ${origin}/openapi.json)

  Get a token:   TOKEN=$(npm run -s token -- alice@example.com)
                 curl -H "Authorization: Bearer $TOKEN" ${origin}/v1/organisations
  Demo people:   alice@example.com (owner), bob@example.com (admin), carol@example.com (member);
                 pat@example.com owns "Partner Organisation"; fay@example.com owns "Hobby Club" (free plan)
  Platform admin: ${DEV_PLATFORM_ADMIN} (PLATFORM_ADMINS: program managers, delivery types)
  Catalog:       curl ${origin}/v1/opportunities   (open, public opportunities: no token needed)
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
  // Stopped (Ctrl-C) while starting: shutdown() is already taking everything down.
  if (!stopping) {
    // A problem the person can fix is one line; anything else keeps its stack for a bug report.
    console.error(error instanceof CliError ? `[muster] ${error.message}` : error);
    await shutdown(1);
  }
}
