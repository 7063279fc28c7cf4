// npm run db:seed — seeds the demo organisation (once) into DATABASE_URL or the embedded local database.
import { DATABASE_ENV, databaseUnreachable, parseCommand, run } from "./cli";
import { startStack } from "./local/stack";
import { applyMigrations, nodeDatabase } from "./node-client";
import { seedDemo } from "./seed-data";

parseCommand({
  script: "db:seed",
  usage: "npm run db:seed",
  summary:
    "Applies the migrations, then seeds the demo organisation (once; a second run changes nothing) into\n" +
    "DATABASE_URL or the embedded local database. Prints what it seeded as JSON.",
  env: DATABASE_ENV,
  examples: ["npm run db:seed"],
});

await run(async () => {
  const stack = await startStack(console.error);
  try {
    await applyMigrations(stack.databaseUrl, stack.wsProxy, { pipelineConnect: stack.pipelineConnect });
    const { db, pool } = nodeDatabase(stack.databaseUrl, stack.wsProxy, { pipelineConnect: stack.pipelineConnect });
    const seed = await seedDemo(db);
    await pool.end();
    console.log(JSON.stringify(seed, null, 2));
  } finally {
    await stack.stop();
  }
}, databaseUnreachable());
