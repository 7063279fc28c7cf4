import { sql } from "drizzle-orm";
import { boolean, index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { primaryId, timestamps } from "./columns";
import { organisations } from "./organisations";

/** Built-in roles are copied into every organisation (`builtIn` set, read-only); custom roles have no `key`. */
export const roles = pgTable(
  "roles",
  {
    id: primaryId(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    key: text("key"),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    permissions: text("permissions").array().notNull().default([]),
    globalAccess: boolean("global_access").notNull().default(false),
    builtIn: boolean("built_in").notNull().default(false),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("roles_organisation_name_key").on(t.organisationId, sql`lower(${t.name})`),
    uniqueIndex("roles_organisation_key_key").on(t.organisationId, t.key),
    index("roles_organisation_id_idx").on(t.organisationId, t.id),
  ],
);

export type Role = typeof roles.$inferSelect;
