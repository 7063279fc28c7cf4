// npm run db:migrate — applies db/migrations to DATABASE_URL, or to the embedded local database.
import { startStack } from "./local-stack";
import { applyMigrations } from "./node-client";

const stack = await startStack(console.error);
try {
  await applyMigrations(stack.databaseUrl, stack.wsProxy);
  console.log("migrations applied");
} finally {
  await stack.stop();
}
