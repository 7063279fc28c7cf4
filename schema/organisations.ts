import { sql } from "drizzle-orm";
import { boolean, check, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { primaryId, timestamps } from "./columns";

/** The plans of the catalogue (functions/platform/plans.ts says what each one holds). */
export const PLAN_NAMES = ["free", "pro", "enterprise"] as const;
export type PlanName = (typeof PLAN_NAMES)[number];

/** What a platform administrator changed from the plan for one organisation; absent keys follow the plan. */
export interface PlanOverrides {
  features?: Record<string, boolean>;
  /** null: unlimited. */
  quotas?: Record<string, number | null>;
  rate_limit?: { limit: number; window_seconds: number };
}

export const organisations = pgTable(
  "organisations",
  {
    id: primaryId(),
    name: text("name").notNull(),
    /** Members of such an organisation may belong to no other organisation that also sets it. */
    exclusiveMembership: boolean("exclusive_membership").notNull().default(false),
    /** Set by platform administrators: only such organisations create programs. */
    programManager: boolean("program_manager").notNull().default(false),
    /** The organisation's own weights for matching factors (absent: the documented defaults). */
    matchingWeights: jsonb("matching_weights").$type<Record<string, number>>(),
    /** Set by platform administrators; new organisations start on free. */
    plan: text("plan", { enum: PLAN_NAMES }).notNull().default("free"),
    planOverrides: jsonb("plan_overrides").$type<PlanOverrides>().notNull().default({}),
    /** Addresses and CIDR ranges, normalised; empty: any address. Enforced while the plan has `ip_allowlist`. */
    allowedIps: text("allowed_ips").array().notNull().default(sql`'{}'::text[]`),
    ...timestamps(),
  },
  (t) => [check("organisations_plan_check", sql`${t.plan} in ('free', 'pro', 'enterprise')`)],
);

export type Organisation = typeof organisations.$inferSelect;
