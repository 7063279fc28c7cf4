import { boolean, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { primaryId, timestamps } from "./columns";

/** A person, known by the (issuer, subject) pair of their identity provider's tokens. */
export const users = pgTable(
  "users",
  {
    id: primaryId(),
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    email: text("email"),
    emailVerified: boolean("email_verified").notNull().default(false),
    name: text("name"),
    ...timestamps(),
  },
  (t) => [uniqueIndex("users_issuer_subject_key").on(t.issuer, t.subject)],
);

export type User = typeof users.$inferSelect;
