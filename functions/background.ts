import { expireInvitations } from "./invitations/expire";
import { createDatabase } from "./platform/db";
import type { Env, OutboxQueueMessage } from "./platform/env";
import { consumeOutbox, sweepOutbox } from "./platform/outbox";

/** The queue consumer: delivers outbox messages (one pool for the batch). */
export async function queue(batch: MessageBatch<OutboxQueueMessage>, env: Env): Promise<void> {
  const { db, pool } = createDatabase(env);
  try {
    await consumeOutbox(batch, env, db);
  } finally {
    await pool.end();
  }
}

/** The cron's work: expire overdue invitations and hand over messages that never reached the queue. */
export async function runCron(env: Env): Promise<{ expired: number; swept: number }> {
  const { db, pool } = createDatabase(env);
  try {
    const expired = await expireInvitations(db);
    const swept = await sweepOutbox(env, db);
    return { expired, swept: swept.length };
  } finally {
    await pool.end();
  }
}

export async function scheduled(_controller: ScheduledController, env: Env): Promise<void> {
  const { expired, swept } = await runCron(env);
  if (expired || swept) console.log(`cron: expired ${expired} invitation(s), swept ${swept} message(s)`);
}
