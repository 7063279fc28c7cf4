import { consumeExportJobs, exportHousekeeping } from "./exports/jobs";
import { invitationDelivery } from "./invitations/delivery";
import { expireInvitations } from "./invitations/expire";
import { forgetEventsPastRetention } from "./platform/audit";
import { configOf } from "./platform/config";
import { createDatabase, databaseErrorOf, rootCause } from "./platform/db";
import type { Env, ExportQueueMessage, OutboxQueueMessage } from "./platform/env";
import { forgetExpiredKeys } from "./platform/idempotency";
import { consumeOutbox, sweepOutbox } from "./platform/outbox";
import { forgetOldReceipts } from "./webhooks/receipts";

const isExportBatch = (batch: MessageBatch<unknown>): batch is MessageBatch<ExportQueueMessage> =>
  batch.messages.some((message) => typeof (message.body as ExportQueueMessage | null)?.exportId === "string");

/** The queue consumer: delivers outbox messages, or runs export jobs (one pool for the batch). */
export async function queue(batch: MessageBatch<OutboxQueueMessage | ExportQueueMessage>, env: Env): Promise<void> {
  configOf(env); // a bad binding is named before any message is touched
  const { db, pool } = createDatabase(env);
  try {
    if (isExportBatch(batch)) await consumeExportJobs(batch, env, db);
    else await consumeOutbox(batch as MessageBatch<OutboxQueueMessage>, env, db, invitationDelivery);
  } finally {
    await pool.end();
  }
}

/**
 * The cron's work: expire overdue invitations, hand over messages and export jobs that never reached the queue,
 * and forget idempotency keys, webhook receipts, audit events past their retention (an event's: its
 * organisation's plan) and export jobs with their files after a week.
 */
export async function runCron(env: Env): Promise<{ expired: number; swept: number; forgotten: number }> {
  configOf(env);
  const { db, pool } = createDatabase(env);
  try {
    const expired = await expireInvitations(db);
    const swept = await sweepOutbox(env, db, invitationDelivery);
    const exports = await exportHousekeeping(env, db);
    const forgotten =
      (await forgetExpiredKeys(db)) +
      (await forgetOldReceipts(db)) +
      (await forgetEventsPastRetention(db)) +
      exports.forgotten;
    return { expired, swept: swept.length + exports.requeued, forgotten };
  } finally {
    await pool.end();
  }
}

export async function scheduled(_controller: ScheduledController, env: Env): Promise<void> {
  let done: Awaited<ReturnType<typeof runCron>>;
  try {
    done = await runCron(env);
  } catch (error) {
    // An outage is not the cron's failure: the next run catches up. Anything else is a bug and is thrown.
    if (!databaseErrorOf(error)?.unreachable) throw error;
    console.warn(`cron: skipped, the database is unreachable (${rootCause(error)})`);
    return;
  }
  const { expired, swept, forgotten } = done;
  if (expired || swept || forgotten) {
    console.log(`cron: expired ${expired} invitation(s), swept ${swept} message(s), forgot ${forgotten} record(s)`);
  }
}
