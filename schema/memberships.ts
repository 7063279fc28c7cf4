import { index, pgTable, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { primaryId, timestamps } from "./columns";
import { organisations } from "./organisations";
import { roles } from "./roles";
import { users } from "./users";

export const memberships = pgTable(
  "memberships",
  {
    id: primaryId(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    roleId: uuid("role_id")
      .notNull()
      .references(() => roles.id, { onDelete: "restrict" }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("memberships_organisation_user_key").on(t.organisationId, t.userId),
    index("memberships_user_id_idx").on(t.userId),
    index("memberships_organisation_id_idx").on(t.organisationId, t.id),
    index("memberships_role_id_idx").on(t.roleId),
  ],
);

export type Membership = typeof memberships.$inferSelect;
