// `npm run dev -- --help`: kept apart so that db/local/dev.ts only asks for it before anything starts.
import type { CommandSpec } from "../cli";
import { DATABASE_ENV } from "../cli";

export const DEV_COMMAND: CommandSpec<Record<never, never>> = {
  script: "dev",
  usage: "npm run dev",
  summary:
    "The whole API on this machine: the embedded PostgreSQL (or DATABASE_URL) and its WebSocket proxy,\n" +
    "migrations, the demo seed, dev signing keys, the dev mailbox, and the gateway under `wrangler dev`.\n" +
    "Ctrl-C stops it all.",
  env: {
    PORT: "the API's port (default 8787)",
    ...DATABASE_ENV,
    MAILBOX_PORT: "the dev mailbox's port (default 8025)",
    MAILBOX_URL: "use a mailbox started separately (`npm run mailbox`) instead of starting one",
  },
  examples: ["PORT=9000 npm run dev"],
};
