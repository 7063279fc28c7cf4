import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { primaryId, timestamps } from "./columns";
import { organisations } from "./organisations";
import { serviceAccounts } from "./service-accounts";
import { users } from "./users";

/** pending (queued) → running → ready (the file is in the bucket) | failed. */
export const EXPORT_JOB_STATUSES = ["pending", "running", "ready", "failed"] as const;
export type ExportJobStatus = (typeof EXPORT_JOB_STATUSES)[number];

/**
 * A large export, run by the queue consumer as the person or service account that asked for it, into one object
 * of the exports bucket. Kept, with its file, for a week.
 */
export const exportJobs = pgTable(
  "export_jobs",
  {
    id: primaryId(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    /** Who asked: only they see the job and its file (it holds what their access let them read). */
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    serviceAccountId: uuid("service_account_id").references(() => serviceAccounts.id, { onDelete: "cascade" }),
    /** The caller as the request authenticated them (scopes included), so the run has their rights and no more. */
    principal: jsonb("principal").notNull(),
    /** The request's id, address and user agent, for the audit event the run writes. */
    requestMeta: jsonb("request_meta").notNull(),
    resource: text("resource").notNull(),
    format: text("format").notNull(),
    filters: jsonb("filters").notNull(),
    status: text("status", { enum: EXPORT_JOB_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    rows: bigint("rows", { mode: "number" }),
    bytes: bigint("bytes", { mode: "number" }),
    objectKey: text("object_key"),
    fileName: text("file_name"),
    /** Why it failed: an error code of the catalogue and a sentence. */
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    startedAt: timestamp("started_at", { withTimezone: true, mode: "date" }),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "date" }),
    ...timestamps(),
  },
  (t) => [
    index("export_jobs_organisation_idx").on(t.organisationId, t.id),
    index("export_jobs_unfinished_idx").on(t.updatedAt).where(sql`status in ('pending', 'running')`),
    index("export_jobs_created_idx").on(t.createdAt),
  ],
);

export type ExportJob = typeof exportJobs.$inferSelect;
