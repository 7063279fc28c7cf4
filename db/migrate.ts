// npm run db:migrate — applies db/migrations to DATABASE_URL, or to the embedded local database.
import { DATABASE_ENV, databaseUnreachable, parseCommand, run } from "./cli";
import { startStack } from "./local/stack";
import { applyMigrations } from "./node-client";

parseCommand({
  script: "db:migrate",
  usage: "npm run db:migrate",
  summary: "Applies the migrations in db/migrations to DATABASE_URL, or to the embedded local database.",
  env: DATABASE_ENV,
  examples: ["DATABASE_URL=postgres://user:password@host/db npm run db:migrate"],
});

await run(async () => {
  const stack = await startStack(console.error);
  try {
    await applyMigrations(stack.databaseUrl, stack.wsProxy, { pipelineConnect: stack.pipelineConnect });
    console.log("migrations applied");
  } finally {
    await stack.stop();
  }
}, databaseUnreachable());
