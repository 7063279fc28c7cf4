import { gt, isNull, or, type SQL, sql } from "drizzle-orm";
import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { primaryId, timestamps } from "./columns";
import { organisations } from "./organisations";
import { roles } from "./roles";

export const serviceAccounts = pgTable(
  "service_accounts",
  {
    id: primaryId(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    roleId: uuid("role_id")
      .notNull()
      .references(() => roles.id, { onDelete: "restrict" }),
    ...timestamps(),
  },
  (t) => [
    index("service_accounts_organisation_id_idx").on(t.organisationId, t.id),
    index("service_accounts_role_id_idx").on(t.roleId),
  ],
);

/** Client credentials: the id is the client id; only a SHA-256 of the (256-bit random) secret is kept. */
export const serviceAccountCredentials = pgTable(
  "service_account_credentials",
  {
    id: primaryId(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    serviceAccountId: uuid("service_account_id")
      .notNull()
      .references(() => serviceAccounts.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    secretHash: text("secret_hash").notNull(),
    secretHint: text("secret_hint").notNull(),
    scopes: text("scopes").array().notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true, mode: "date" }),
    ...timestamps(),
  },
  (t) => [index("service_account_credentials_account_idx").on(t.serviceAccountId, t.id)],
);

export type ServiceAccount = typeof serviceAccounts.$inferSelect;
export type ServiceAccountCredential = typeof serviceAccountCredentials.$inferSelect;

/** The one rule of a credential still being valid, decided by the database's clock wherever it is asked. */
export const credentialIsLive = or(
  isNull(serviceAccountCredentials.expiresAt),
  gt(serviceAccountCredentials.expiresAt, sql`now()`),
) as SQL;
