import { and, eq, gt, inArray, isNull, type SQL, sql } from "drizzle-orm";
import {
  exportJobs,
  invitations,
  memberships,
  opportunities,
  organisations,
  type PlanName,
  type PlanOverrides,
  programs,
  roles,
  serviceAccounts,
} from "../../schema";
import type { Queryable } from "./db";
import { ApiError } from "./errors";

/** What a plan may switch on. A route gated by one declares it in its access rule (`x-access.feature`). */
export const FEATURES = [
  "custom_roles",
  "sms_invitations",
  "ip_allowlist",
  "export",
  "analytics",
  "calendar_sync",
] as const;
export type Feature = (typeof FEATURES)[number];

export const FEATURE_DESCRIPTIONS: Record<Feature, string> = {
  custom_roles: "creating and changing custom roles",
  sms_invitations: "invitations by phone, sent as SMS",
  ip_allowlist: "an IP allowlist for the organisation's API access",
  export: "exports of lists as CSV, JSON or NDJSON",
  analytics: "the analytics dashboard",
  calendar_sync: "iCalendar feeds of opportunities",
};

/** What a plan counts. Each is checked in the transaction of the insert that would break it. */
export const QUOTAS = [
  "members",
  "service_accounts",
  "custom_roles",
  "programs",
  "open_opportunities",
  "invitations_per_day",
  "export_jobs",
] as const;
export type Quota = (typeof QUOTAS)[number];

export const QUOTA_DESCRIPTIONS: Record<Quota, string> = {
  members: "members plus pending, unexpired invitations to join",
  service_accounts: "service accounts",
  custom_roles: "custom roles (the built-in ones are free)",
  programs: "programs",
  open_opportunities: "opportunities with status open",
  invitations_per_day: "invitations created (by email or phone, to join or to an opportunity) in the last 24 hours",
  export_jobs: "export jobs queued or running at once",
};

export interface RateLimitPolicy {
  limit: number;
  window_seconds: number;
}

export interface Plan {
  name: PlanName;
  features: Record<Feature, boolean>;
  /** null: unlimited. */
  quotas: Record<Quota, number | null>;
  /** Requests per credential in one organisation. */
  rate_limit: RateLimitPolicy;
  /** How long the audit trail keeps events. */
  audit_retention_days: number;
}

const all = (on: boolean) => Object.fromEntries(FEATURES.map((feature) => [feature, on])) as Record<Feature, boolean>;

/** The catalogue. Free is for trying Muster out; enterprise has no quotas. */
export const PLANS: Record<PlanName, Plan> = {
  free: {
    name: "free",
    features: all(false),
    quotas: {
      members: 5,
      service_accounts: 1,
      custom_roles: 0,
      programs: 1,
      open_opportunities: 3,
      invitations_per_day: 20,
      export_jobs: 1,
    },
    rate_limit: { limit: 60, window_seconds: 60 },
    audit_retention_days: 7,
  },
  pro: {
    name: "pro",
    features: all(true),
    quotas: {
      members: 100,
      service_accounts: 10,
      custom_roles: 20,
      programs: 25,
      open_opportunities: 200,
      invitations_per_day: 500,
      export_jobs: 10,
    },
    rate_limit: { limit: 600, window_seconds: 60 },
    audit_retention_days: 90,
  },
  enterprise: {
    name: "enterprise",
    features: all(true),
    quotas: {
      members: null,
      service_accounts: null,
      custom_roles: null,
      programs: null,
      open_opportunities: null,
      invitations_per_day: null,
      export_jobs: null,
    },
    rate_limit: { limit: 6000, window_seconds: 60 },
    audit_retention_days: 365,
  },
};

/** An organisation's plan with its overrides applied: what is enforced. */
export function effectivePlan(organisation: { plan: PlanName; planOverrides: PlanOverrides }): Plan {
  const base = PLANS[organisation.plan];
  const overrides = organisation.planOverrides ?? {};
  const features = { ...base.features };
  for (const feature of FEATURES) {
    const value = overrides.features?.[feature];
    if (typeof value === "boolean") features[feature] = value;
  }
  const quotas = { ...base.quotas };
  for (const quota of QUOTAS) {
    if (overrides.quotas && Object.hasOwn(overrides.quotas, quota)) quotas[quota] = overrides.quotas[quota] ?? null;
  }
  return { ...base, features, quotas, rate_limit: overrides.rate_limit ?? base.rate_limit };
}

export function featureNotInPlan(feature: Feature, plan: Plan, upgradeUrl: string): ApiError {
  return new ApiError(
    "feature_not_in_plan",
    `Your organisation's ${plan.name} plan does not include ${FEATURE_DESCRIPTIONS[feature]} (${feature}). ` +
      `Upgrade at ${upgradeUrl}.`,
    { feature, plan: plan.name, upgrade_url: upgradeUrl },
  );
}

export function requireFeature(plan: Plan, feature: Feature, upgradeUrl: string): void {
  if (!plan.features[feature]) throw featureNotInPlan(feature, plan, upgradeUrl);
}

const countOf = (table: SQL, where: SQL) => sql<number>`(select count(*)::int from ${table} where ${where})`;

/** How each quota's usage is counted, as a scalar subquery for one organisation. */
function usageQuery(quota: Quota, organisationId: string): SQL<number> {
  switch (quota) {
    case "members":
      return sql<number>`(${countOf(sql`${memberships}`, eq(memberships.organisationId, organisationId))} + ${countOf(
        sql`${invitations}`,
        and(
          eq(invitations.organisationId, organisationId),
          isNull(invitations.opportunityId),
          eq(invitations.status, "pending"),
          gt(invitations.expiresAt, sql`now()`),
        ) as SQL,
      )})`;
    case "service_accounts":
      return countOf(sql`${serviceAccounts}`, eq(serviceAccounts.organisationId, organisationId));
    case "custom_roles":
      return countOf(sql`${roles}`, and(eq(roles.organisationId, organisationId), eq(roles.builtIn, false)) as SQL);
    case "programs":
      return countOf(sql`${programs}`, eq(programs.organisationId, organisationId));
    case "open_opportunities":
      return countOf(
        sql`${opportunities}`,
        and(eq(opportunities.organisationId, organisationId), eq(opportunities.status, "open")) as SQL,
      );
    case "invitations_per_day":
      return countOf(
        sql`${invitations}`,
        and(
          eq(invitations.organisationId, organisationId),
          gt(invitations.createdAt, sql`now() - interval '24 hours'`),
        ) as SQL,
      );
    case "export_jobs":
      return countOf(
        sql`${exportJobs}`,
        and(eq(exportJobs.organisationId, organisationId), inArray(exportJobs.status, ["pending", "running"])) as SQL,
      );
  }
}

/** Every quota's live usage, in one statement. */
export async function usageOf(db: Queryable, organisationId: string): Promise<Record<Quota, number>> {
  const columns = Object.fromEntries(QUOTAS.map((quota) => [quota, usageQuery(quota, organisationId)]));
  const [row] = await db.select(columns as Record<Quota, SQL<number>>).from(sql`(select 1) as one`);
  return row as Record<Quota, number>;
}

type PlanOfOrganisation = { plan: PlanName; planOverrides: PlanOverrides };

/**
 * Refuses inserts that would take the organisation over a quota: 403 `quota_exceeded`. Called inside the
 * insert's transaction, before the insert: the organisation's row is locked first, so concurrent inserts of one
 * organisation count one after another and exactly the allowed number succeed. The plan is read from the locked
 * row, so a plan changed a moment ago counts. A downgrade keeps what exists; it only refuses what is new.
 * `locked`: the organisation's row as this transaction already read it `for no key update` (one statement less).
 */
export async function enforceQuotas(
  tx: Queryable,
  scope: { organisationId: string; upgradeUrl: string },
  adding: Partial<Record<Quota, number>>,
  locked?: PlanOfOrganisation,
): Promise<void> {
  const [organisation]: (PlanOfOrganisation | undefined)[] = locked
    ? [locked]
    : await tx
        .select({ plan: organisations.plan, planOverrides: organisations.planOverrides })
        .from(organisations)
        .where(eq(organisations.id, scope.organisationId))
        .for("no key update");
  if (!organisation) return;
  const plan = effectivePlan(organisation);
  const counted = QUOTAS.filter((quota) => (adding[quota] ?? 0) > 0 && plan.quotas[quota] !== null);
  if (counted.length === 0) return;
  const columns = Object.fromEntries(counted.map((quota) => [quota, usageQuery(quota, scope.organisationId)]));
  const [usage] = (await tx.select(columns as Record<Quota, SQL<number>>).from(sql`(select 1) as one`)) as [
    Record<Quota, number>,
  ];
  for (const quota of counted) {
    const limit = plan.quotas[quota] as number;
    const more = adding[quota] as number;
    const used = usage[quota] ?? 0;
    if (used + more <= limit) continue;
    throw new ApiError(
      "quota_exceeded",
      `Your organisation's ${plan.name} plan allows ${limit} ${QUOTA_DESCRIPTIONS[quota]}; it has ${used}, so ` +
        `${more === 1 ? "one more" : `${more} more`} would exceed it. Upgrade at ${scope.upgradeUrl}.`,
      { quota, limit, usage: used, plan: plan.name, upgrade_url: scope.upgradeUrl },
    );
  }
}
