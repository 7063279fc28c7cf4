import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";

/** The first response to a POST with an `Idempotency-Key`, kept for 24 hours per credential. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    /** Whose key it is: the credential (person, service account) or, for public routes, the client address. */
    owner: text("owner").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    state: text("state", { enum: ["in_progress", "completed"] }).notNull(),
    responseStatus: integer("response_status"),
    responseBody: text("response_body"),
    responseHeaders: jsonb("response_headers").$type<Record<string, string>>(),
    lockedUntil: timestamp("locked_until", { withTimezone: true, mode: "date" }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.owner, t.key] }), index("idempotency_keys_expires_at_idx").on(t.expiresAt)],
);

/** Inbound webhook ids already processed: a replay is acknowledged and does nothing. */
export const webhookReceipts = pgTable(
  "webhook_receipts",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("webhook_receipts_received_at_idx").on(t.receivedAt)],
);
