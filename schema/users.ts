import { boolean, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
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
    /** E.164, from the identity provider's `phone_number` claim. */
    phone: text("phone"),
    phoneVerified: boolean("phone_verified").notNull().default(false),
    name: text("name"),
    /** Set once the person chose their name (PATCH /v1/users/me): a token's `name` claim no longer replaces it. */
    nameChosen: boolean("name_chosen").notNull().default(false),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("users_issuer_subject_key").on(t.issuer, t.subject),
    index("users_email_idx").on(t.email),
    index("users_phone_idx").on(t.phone),
  ],
);

export type User = typeof users.$inferSelect;
