import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { primaryId, timestamps } from "./columns";
import { invitations } from "./invitations";
import { organisations } from "./organisations";

export const OUTBOX_CHANNELS = ["email", "sms"] as const;
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number];
/** pending → sent | dead; superseded when a newer message replaces it (a resent invitation's new code). */
export const OUTBOX_STATUSES = ["pending", "sent", "dead", "superseded"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * Outgoing messages, written in the same transaction as the change that causes them, then delivered by the
 * queue consumer (or at once) with retries. The row id is the provider idempotency key: at-least-once delivery
 * with a stable id.
 */
export const outboxMessages = pgTable(
  "outbox_messages",
  {
    id: primaryId(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    invitationId: uuid("invitation_id").references(() => invitations.id, { onDelete: "cascade" }),
    channel: text("channel", { enum: OUTBOX_CHANNELS }).notNull(),
    recipient: text("recipient").notNull(),
    subject: text("subject"),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body"),
    status: text("status", { enum: OUTBOX_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    /** Not before this time; also the lease of whoever is sending it. */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    /** Worthless after this (the code it carries expires): never sent later, whoever holds it. */
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }),
    lastError: text("last_error"),
    providerMessageId: text("provider_message_id"),
    sentAt: timestamp("sent_at", { withTimezone: true, mode: "date" }),
    ...timestamps(),
  },
  (t) => [
    index("outbox_messages_due_idx").on(t.nextAttemptAt).where(sql`status = 'pending'`),
    index("outbox_messages_invitation_idx").on(t.invitationId),
  ],
);

export type OutboxMessage = typeof outboxMessages.$inferSelect;
