import { sql } from "drizzle-orm";
import { webhookReceipts } from "../../schema";
import type { Database } from "../platform/db";
import { deleteBatch } from "../platform/housekeeping";

/** Senders retry an event for days under the same id; after a week its receipt is no longer needed. */
export function forgetOldReceipts(db: Database, batch?: number): Promise<number> {
  return deleteBatch(db, webhookReceipts, sql`${webhookReceipts.receivedAt} < now() - interval '7 days'`, batch);
}
