import { sql } from "drizzle-orm";
import { check, date, index, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { primaryId, timestamps } from "./columns";
import { deliveryTypes } from "./delivery-types";
import { memberships } from "./memberships";
import { organisations } from "./organisations";
import { serviceAccounts } from "./service-accounts";

/** Money is `numeric` (exact); the API shows it as a decimal string in the currency's minor units. */
export const money = (name: string) => numeric(name, { precision: 20, scale: 4 });

/** A program run by a program-manager organisation; other organisations deliver opportunities under it. */
export const programs = pgTable(
  "programs",
  {
    id: primaryId(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    deliveryTypeId: uuid("delivery_type_id")
      .notNull()
      .references(() => deliveryTypes.id, { onDelete: "restrict" }),
    /** ISO 4217. */
    currency: text("currency").notNull(),
    /** ISO 3166-1 alpha-2. */
    country: text("country").notNull(),
    budget: money("budget").notNull(),
    startDate: date("start_date", { mode: "string" }).notNull(),
    endDate: date("end_date", { mode: "string" }).notNull(),
    ...timestamps(),
  },
  (t) => [
    index("programs_organisation_id_idx").on(t.organisationId, t.id),
    index("programs_delivery_type_id_idx").on(t.deliveryTypeId),
    check("programs_dates_check", sql`${t.endDate} > ${t.startDate}`),
    check("programs_budget_check", sql`${t.budget} >= 0`),
  ],
);

export type Program = typeof programs.$inferSelect;
export type NewProgramRow = typeof programs.$inferInsert;

export const PROGRAM_APPLICATION_STATUSES = ["invited", "applied", "accepted", "rejected", "declined"] as const;
export type ProgramApplicationStatus = (typeof PROGRAM_APPLICATION_STATUSES)[number];

/** An organisation's standing in a program: one row per (program, organisation), enforced here. */
export const programApplications = pgTable(
  "program_applications",
  {
    id: primaryId(),
    programId: uuid("program_id")
      .notNull()
      .references(() => programs.id, { onDelete: "cascade" }),
    /** The invited (applying) organisation. */
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    status: text("status", { enum: PROGRAM_APPLICATION_STATUSES }).notNull().default("invited"),
    invitedAt: timestamp("invited_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    appliedAt: timestamp("applied_at", { withTimezone: true, mode: "date" }),
    decidedAt: timestamp("decided_at", { withTimezone: true, mode: "date" }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("program_applications_program_organisation_key").on(t.programId, t.organisationId),
    index("program_applications_program_id_idx").on(t.programId, t.id),
    index("program_applications_organisation_id_idx").on(t.organisationId, t.id),
  ],
);

export type ProgramApplication = typeof programApplications.$inferSelect;

/**
 * The declarative access list: the programs a member or service account without global access may reach.
 * Exactly one of the two holders is set.
 */
export const programGrants = pgTable(
  "program_grants",
  {
    id: primaryId(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    programId: uuid("program_id")
      .notNull()
      .references(() => programs.id, { onDelete: "cascade" }),
    membershipId: uuid("membership_id").references(() => memberships.id, { onDelete: "cascade" }),
    serviceAccountId: uuid("service_account_id").references(() => serviceAccounts.id, { onDelete: "cascade" }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("program_grants_membership_program_key").on(t.membershipId, t.programId),
    uniqueIndex("program_grants_service_account_program_key").on(t.serviceAccountId, t.programId),
    index("program_grants_program_id_idx").on(t.programId),
    check("program_grants_one_holder_check", sql`num_nonnulls(${t.membershipId}, ${t.serviceAccountId}) = 1`),
  ],
);

export type ProgramGrant = typeof programGrants.$inferSelect;
