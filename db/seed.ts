// npm run db:seed — seeds the demo organisation (once) into DATABASE_URL or the embedded local database.
import { startStack } from "./local-stack";
import { applyMigrations, nodeDatabase } from "./node-client";
import { seedDemo } from "./seed-data";

const stack = await startStack(console.error);
try {
  await applyMigrations(stack.databaseUrl, stack.wsProxy);
  const { db, pool } = nodeDatabase(stack.databaseUrl, stack.wsProxy);
  const seed = await seedDemo(db);
  await pool.end();
  console.log(JSON.stringify(seed, null, 2));
} finally {
  await stack.stop();
}
