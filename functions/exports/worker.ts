import { buildApp, workerEntry } from "../platform/app";
import { configOf } from "../platform/config";
import { createDatabase } from "../platform/db";
import type { Env, ExportQueueMessage } from "../platform/env";
import { exportsRouter } from ".";
import { consumeExportJobs, exportHousekeeping } from "./jobs";

/** A database pool for one invocation of the consumer or the cron. */
async function withDatabase(env: Env, work: (db: ReturnType<typeof createDatabase>["db"]) => Promise<unknown>) {
  configOf(env);
  const { db, pool } = createDatabase(env);
  try {
    await work(db);
  } finally {
    await pool.end();
  }
}

/** The exports, with the consumer that writes export jobs' files and the cron that re-queues and deletes jobs. */
export default workerEntry(buildApp([exportsRouter]), {
  queue: (batch: MessageBatch<ExportQueueMessage>, env: Env) =>
    withDatabase(env, (db) => consumeExportJobs(batch, env, db)),
  scheduled: (_controller: ScheduledController, env: Env) => withDatabase(env, (db) => exportHousekeeping(env, db)),
});
