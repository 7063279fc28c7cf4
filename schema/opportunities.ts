import { type SQL, sql } from "drizzle-orm";
import {
  boolean,
  check,
  customType,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { primaryId, timestamps, weekMinutes } from "./columns";
import { deliveryTypes } from "./delivery-types";
import { organisations } from "./organisations";
import { money, programs } from "./programs";
import { users } from "./users";

export const OPPORTUNITY_STATUSES = ["draft", "open", "on_hold", "closed", "filled"] as const;
export type OpportunityStatus = (typeof OPPORTUNITY_STATUSES)[number];
export const VISIBILITIES = ["public", "organisation"] as const;
export type Visibility = (typeof VISIBILITIES)[number];
export const WORK_ENVIRONMENTS = ["remote", "hybrid", "in_person"] as const;
export type WorkEnvironment = (typeof WORK_ENVIRONMENTS)[number];
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A weekly schedule in one time zone: `{time_zone: "Europe/Berlin", slots: [{day, start: "HH:MM", end}]}`. */
export interface WeeklySchedule {
  time_zone: string;
  slots: { day: Weekday; start: string; end: string }[];
}

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/** The full-text document of an opportunity, weighted: name, then role and short description, then description. */
const searchDocument = (t: { name: unknown; role: unknown; shortDescription: unknown; description: unknown }): SQL =>
  sql`setweight(to_tsvector('simple', coalesce(${t.name}, '')), 'A') || setweight(to_tsvector('simple', coalesce(${t.role}, '') || ' ' || coalesce(${t.shortDescription}, '')), 'B') || setweight(to_tsvector('simple', coalesce(${t.description}, '')), 'C')`;

/**
 * Work an organisation delivers: standalone, or managed under a program (then currency, country and delivery
 * type are the program's). Public ones that are open form the catalog anyone may browse.
 */
export const opportunities = pgTable(
  "opportunities",
  {
    id: primaryId(),
    /** The delivering organisation. */
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    programId: uuid("program_id").references(() => programs.id, { onDelete: "restrict" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    shortDescription: text("short_description").notNull().default(""),
    visibility: text("visibility", { enum: VISIBILITIES }).notNull().default("organisation"),
    status: text("status", { enum: OPPORTUNITY_STATUSES }).notNull().default("draft"),
    startDate: date("start_date", { mode: "string" }).notNull(),
    endDate: date("end_date", { mode: "string" }),
    totalBudget: money("total_budget"),
    currency: text("currency"),
    country: text("country"),
    deliveryTypeId: uuid("delivery_type_id").references(() => deliveryTypes.id, { onDelete: "restrict" }),
    role: text("role"),
    workEnvironment: text("work_environment", { enum: WORK_ENVIRONMENTS }).notNull(),
    minHoursPerWeek: integer("min_hours_per_week").notNull(),
    minExperienceYears: integer("min_experience_years"),
    meetingTimes: jsonb("meeting_times").$type<WeeklySchedule>(),
    /** `meeting_times` in UTC minutes of the week (see schema/columns.ts), kept in step by the domain. */
    meetingMinutes: weekMinutes("meeting_minutes"),
    /**
     * What matching finds opportunities for a volunteer by (GIN, open and public ones only): tokens for its
     * required and preferred skills, the first required skills by position, its work environment, the hours ladder
     * from its minimum up, its meeting hours, its practice areas. Written by the database itself (triggers, migration
     * `matching_tokens_sync`): never by the application.
     */
    matchTokens: integer("match_tokens").array().notNull().default(sql`'{}'::integer[]`),
    /** Its required and preferred skills as aligned arrays (by skill id), so it is scored from its row. Same writer. */
    matchRequiredIds: uuid("match_required_ids").array().notNull().default(sql`'{}'::uuid[]`),
    matchRequiredLevels: smallint("match_required_levels").array().notNull().default(sql`'{}'::smallint[]`),
    matchPreferredIds: uuid("match_preferred_ids").array().notNull().default(sql`'{}'::uuid[]`),
    matchPreferredLevels: smallint("match_preferred_levels").array().notNull().default(sql`'{}'::smallint[]`),
    /**
     * A hash of its exact set of required skills (null when it requires none), so "requires only skills I hold" is
     * one index probe per subset of mine (migration `matching_required_sets`, which also creates its index).
     * Same writer.
     */
    matchRequiredSet: integer("match_required_set"),
    search: tsvector("search")
      .notNull()
      .generatedAlwaysAs((): SQL => searchDocument(opportunities)),
    ...timestamps(),
  },
  (t) => [
    index("opportunities_organisation_id_idx").on(t.organisationId, t.id),
    index("opportunities_program_id_idx").on(t.programId, t.id),
    // The public catalog: open and public, newest first.
    index("opportunities_catalog_idx").on(t.id).where(sql`status = 'open' and visibility = 'public'`),
    index("opportunities_match_tokens_idx")
      .using("gin", t.matchTokens)
      .where(sql`status = 'open' and visibility = 'public'`),
    // opportunities_match_required_set_idx (btree with INCLUDE columns, which the schema builder cannot say) is
    // created by migration matching_required_sets.
    index("opportunities_search_idx").using("gin", t.search),
    index("opportunities_delivery_type_id_idx").on(t.deliveryTypeId),
    check("opportunities_dates_check", sql`${t.endDate} is null or ${t.endDate} >= ${t.startDate}`),
    check("opportunities_budget_check", sql`${t.totalBudget} is null or ${t.totalBudget} >= 0`),
  ],
);

export type Opportunity = typeof opportunities.$inferSelect;
export type NewOpportunityRow = typeof opportunities.$inferInsert;

/** Paid per unit of work: a worker amount and an organisation amount per unit, capped per person and per day. */
export const paymentUnits = pgTable(
  "payment_units",
  {
    id: primaryId(),
    opportunityId: uuid("opportunity_id")
      .notNull()
      .references(() => opportunities.id, { onDelete: "cascade" }),
    /** One level only: a parent has no parent itself (checked by the domain). */
    parentPaymentUnitId: uuid("parent_payment_unit_id"),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    amount: money("amount").notNull(),
    orgAmount: money("org_amount").notNull().default("0"),
    maxTotal: integer("max_total").notNull(),
    maxDaily: integer("max_daily").notNull(),
    startDate: date("start_date", { mode: "string" }),
    endDate: date("end_date", { mode: "string" }),
    ...timestamps(),
  },
  (t) => [
    index("payment_units_opportunity_id_idx").on(t.opportunityId, t.id),
    index("payment_units_parent_idx").on(t.parentPaymentUnitId),
    foreignKey({ columns: [t.parentPaymentUnitId], foreignColumns: [t.id], name: "payment_units_parent_fk" }).onDelete(
      "restrict",
    ),
    check(
      "payment_units_caps_check",
      sql`${t.maxTotal} >= 1 and ${t.maxDaily} >= 1 and ${t.maxDaily} <= ${t.maxTotal}`,
    ),
    check("payment_units_amounts_check", sql`${t.amount} >= 0 and ${t.orgAmount} >= 0`),
  ],
);

export type PaymentUnit = typeof paymentUnits.$inferSelect;
export type NewPaymentUnitRow = typeof paymentUnits.$inferInsert;

/** A piece of work to deliver, paid through at most one payment unit of the same opportunity. */
export const deliverUnits = pgTable(
  "deliver_units",
  {
    id: primaryId(),
    opportunityId: uuid("opportunity_id")
      .notNull()
      .references(() => opportunities.id, { onDelete: "cascade" }),
    paymentUnitId: uuid("payment_unit_id").references(() => paymentUnits.id, { onDelete: "restrict" }),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    optional: boolean("optional").notNull().default(false),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("deliver_units_opportunity_slug_key").on(t.opportunityId, t.slug),
    index("deliver_units_opportunity_id_idx").on(t.opportunityId, t.id),
    index("deliver_units_payment_unit_id_idx").on(t.paymentUnitId),
  ],
);

export type DeliverUnit = typeof deliverUnits.$inferSelect;

/** A person with access to an opportunity (not membership of its organisation): granted by accepting an invitation. */
export const opportunityWorkers = pgTable(
  "opportunity_workers",
  {
    id: primaryId(),
    opportunityId: uuid("opportunity_id")
      .notNull()
      .references(() => opportunities.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The invitation that granted it (kept when the invitation row goes). */
    invitationId: uuid("invitation_id"),
    joinedAt: timestamp("joined_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("opportunity_workers_opportunity_user_key").on(t.opportunityId, t.userId),
    index("opportunity_workers_user_id_idx").on(t.userId, t.id),
  ],
);

export type OpportunityWorker = typeof opportunityWorkers.$inferSelect;
