import { index, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { primaryId, timestamps } from "./columns";
import { opportunities } from "./opportunities";
import { organisations } from "./organisations";
import { programs } from "./programs";
import { serviceAccounts } from "./service-accounts";
import { users } from "./users";

/** What a feed shows: the organisation's programs and opportunities, one program with its opportunities, or one. */
export const CALENDAR_FEED_SCOPES = ["organisation", "program", "opportunity"] as const;
export type CalendarFeedScope = (typeof CALENDAR_FEED_SCOPES)[number];

/**
 * An iCalendar subscription URL. The URL's token is shown once and kept as a digest; the feed shows what its
 * maker may see, as they stand when a calendar fetches it.
 */
export const calendarFeeds = pgTable(
  "calendar_feeds",
  {
    id: primaryId(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    serviceAccountId: uuid("service_account_id").references(() => serviceAccounts.id, { onDelete: "cascade" }),
    /** The maker as the request authenticated them, so a fetch has their rights and no more. */
    principal: jsonb("principal").notNull(),
    name: text("name").notNull(),
    scope: text("scope", { enum: CALENDAR_FEED_SCOPES }).notNull(),
    programId: uuid("program_id").references(() => programs.id, { onDelete: "cascade" }),
    opportunityId: uuid("opportunity_id").references(() => opportunities.id, { onDelete: "cascade" }),
    /** SHA-256 of the URL's token. */
    tokenHash: text("token_hash").notNull(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("calendar_feeds_token_idx").on(t.tokenHash),
    index("calendar_feeds_organisation_idx").on(t.organisationId, t.id),
  ],
);

export type CalendarFeed = typeof calendarFeeds.$inferSelect;
