// tsx db/local/mailbox-cli.ts — the dev mailbox on its own: plays the email and SMS providers for the local API, keeps
// what it receives in .data/mailbox.json and shows it at http://127.0.0.1:8025 (MAILBOX_PORT). Ctrl-C stops it.
import path from "node:path";
import { CliError, parseCommand, run, usageError } from "../cli";
import { DATA_DIR, DEV_KEYS_FILE } from "../paths";
import { loadOrCreateDevKeys, signDevToken } from "./keys";
import { type Mailbox, startMailbox } from "./mailbox";

parseCommand({
  script: "mailbox",
  usage: "npm run mailbox",
  summary:
    "The dev mailbox on its own: plays the email and SMS providers for the local API, keeps what it receives in\n" +
    ".data/mailbox.json and shows it at http://127.0.0.1:$MAILBOX_PORT. Ctrl-C stops it. Start `npm run dev`\n" +
    "with MAILBOX_URL pointing here to stop and start the mailbox under a running API.",
  env: {
    MAILBOX_PORT: "the port to listen on (default 8025)",
  },
  examples: ["npm run mailbox   # then, elsewhere: MAILBOX_URL=http://127.0.0.1:8025 npm run dev"],
});
const port = Number(process.env.MAILBOX_PORT ?? 8025);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  usageError(`MAILBOX_PORT must be a port number, not '${process.env.MAILBOX_PORT}'`);
}

let mailbox: Mailbox | undefined;
await run(async () => {
  mailbox = await startMailbox({
    port,
    storeFile: path.join(DATA_DIR, "mailbox.json"),
    // Keys are read at each use, not at start: `npm run dev` may create (or a reset recreate) them after us.
    mintToken: async (who) => signDevToken(await loadOrCreateDevKeys(DEV_KEYS_FILE), who),
  }).catch((error: Error) => {
    throw new CliError(`cannot start the mailbox on port ${port}: ${error.message}`);
  });
  console.log(`[mailbox] ${mailbox.url}   (provider URL for EMAIL_PROVIDER_URL and SMS_PROVIDER_URL; Ctrl-C stops it)`);
});

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log("[mailbox] stopping");
  await mailbox?.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
