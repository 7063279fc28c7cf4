import { z } from "@hono/zod-openapi";
import { type Organisation, PLAN_NAMES, type PlanOverrides } from "../../schema";
import { effectiveWeights, MatchingWeightsSchema, type StoredWeights } from "../matching/weights";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import { MAX_ALLOWED_IPS } from "../platform/ip-allowlist";
import {
  FEATURE_DESCRIPTIONS,
  FEATURES,
  type Feature,
  PLANS,
  type Plan,
  QUOTA_DESCRIPTIONS,
  QUOTAS,
  type Quota,
} from "../platform/plans";

export const MAX_QUOTA = 1_000_000_000;

export const RateLimitPolicySchema = z
  .strictObject({
    limit: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .openapi({ description: "Requests allowed per window.", format: "int32" }),
    window_seconds: z
      .number()
      .int()
      .min(1)
      .max(3600)
      .openapi({ description: "The length of the window, in seconds.", format: "int32" }),
  })
  .openapi("RateLimitPolicy", {
    description: "How many requests a credential may make per window; over it, 429 `rate_limited`.",
    example: { limit: 600, window_seconds: 60 },
  });

/** What a platform administrator changed from the plan; a key left out follows the plan. */
export const PlanOverridesSchema = z
  .object({
    features: z
      .object(
        Object.fromEntries(
          FEATURES.map((feature) => [
            feature,
            z
              .boolean()
              .optional()
              .openapi({
                description: `The \`${feature}\` feature (${FEATURE_DESCRIPTIONS[feature]}): true on, false off, whatever the plan says.`,
              }),
          ]),
        ),
      )
      .optional()
      .openapi({
        description: "Features switched on or off whatever the plan says; a feature left out follows the plan.",
      }),
    quotas: z
      .object(
        Object.fromEntries(
          QUOTAS.map((quota) => [
            quota,
            z
              .number()
              .int()
              .min(0)
              .max(MAX_QUOTA)
              .nullable()
              .optional()
              .openapi({ description: `The limit on ${QUOTA_DESCRIPTIONS[quota]}; null: unlimited.`, format: "int32" }),
          ]),
        ),
      )
      .optional()
      .openapi({ description: "Quota limits replacing the plan's; a quota left out follows the plan." }),
    rate_limit: RateLimitPolicySchema.optional().openapi({
      description: "A rate limit replacing the plan's; left out: the plan's.",
    }),
  })
  .openapi("PlanOverrides", {
    description: "What a platform administrator changed from the plan for this organisation.",
    example: { quotas: { members: 250 }, features: { ip_allowlist: true } },
  });

export const ORGANISATION_EXAMPLE = {
  id: "org_01h455vb4pex5vsknk084sn02q",
  object: "organisation",
  name: "Acme Volunteers",
  exclusive_membership: false,
  program_manager: false,
  matching_weights: {
    required_skills: 0.5,
    preferred_skills: 0.15,
    practice_area: 0.1,
    availability: 0.15,
    hours: 0.1,
  },
  plan: "pro",
  plan_overrides: {},
  allowed_ips: ["203.0.113.0/24"],
  created_at: "2025-11-30T09:00:00.000Z",
  updated_at: "2026-01-15T14:30:00.000Z",
};

export const OrganisationSchema = z
  .object({
    id: typeIdOut(ID_PREFIX.organisation).openapi({ description: "The organisation's id." }),
    object: z.literal("organisation").openapi({ description: "Always `organisation`." }),
    name: z.string().max(100).openapi({ description: "The organisation's display name." }),
    exclusive_membership: z
      .boolean()
      .openapi({ description: "Members may belong to no other organisation that also requires this." }),
    program_manager: z.boolean().openapi({
      description:
        "Whether the organisation may create programs. Set by platform administrators " +
        "(PATCH /v1/platform/organisations/{id}).",
    }),
    matching_weights: MatchingWeightsSchema,
    plan: z.enum(PLAN_NAMES).openapi({
      description: "The organisation's plan (GET /v1/organisations/{id}/plan says what it allows and uses).",
    }),
    plan_overrides: PlanOverridesSchema,
    allowed_ips: z
      .array(z.string().max(64))
      .max(MAX_ALLOWED_IPS)
      .openapi({
        description:
          "Addresses and CIDR ranges allowed to call for the organisation (PUT /v1/organisations/{id}/ip-allowlist); " +
          "empty: any address.",
      }),
    created_at: timestampOut().openapi({ description: "When the organisation was created." }),
    updated_at: timestampOut().openapi({ description: "When its settings last changed." }),
  })
  .openapi("Organisation", {
    example: ORGANISATION_EXAMPLE,
  });

export const OrganisationIdParams = z.object({
  id: typeIdSchema(ID_PREFIX.organisation).openapi({
    param: { name: "id", in: "path" },
    description: "The organisation's id (`org_...`).",
  }),
});

export function presentOrganisation(organisation: Organisation) {
  return {
    id: toTypeId(ID_PREFIX.organisation, organisation.id),
    object: "organisation" as const,
    name: organisation.name,
    exclusive_membership: organisation.exclusiveMembership,
    program_manager: organisation.programManager,
    matching_weights: effectiveWeights(organisation.matchingWeights as StoredWeights),
    plan: organisation.plan,
    plan_overrides: organisation.planOverrides ?? {},
    allowed_ips: organisation.allowedIps,
    created_at: organisation.createdAt.toISOString(),
    updated_at: organisation.updatedAt.toISOString(),
  };
}

const planTable = () => {
  const header = `| | ${PLAN_NAMES.join(" | ")} |\n| --- |${PLAN_NAMES.map(() => " --- |").join("")}`;
  const row = (label: string, value: (plan: Plan) => string) =>
    `| ${label} | ${PLAN_NAMES.map((name) => value(PLANS[name])).join(" | ")} |`;
  return [
    header,
    ...FEATURES.map((feature) => row(`\`${feature}\``, (plan) => (plan.features[feature] ? "yes" : "no"))),
    ...QUOTAS.map((quota) => row(`\`${quota}\``, (plan) => String(plan.quotas[quota] ?? "unlimited"))),
    row("rate limit", (plan) => `${plan.rate_limit.limit}/${plan.rate_limit.window_seconds} s`),
    row("audit retention", (plan) => `${plan.audit_retention_days} days`),
  ].join("\n");
};

/** The plan catalogue as a table, for the contract (generated from the catalogue in code). */
export const PLAN_CATALOGUE_MARKDOWN = planTable();

const QuotaUsageSchema = z.object({
  limit: z
    .number()
    .int()
    .min(0)
    .max(MAX_QUOTA)
    .nullable()
    .openapi({ description: "The most the plan (with its overrides) allows; null: unlimited.", format: "int32" }),
  usage: z
    .number()
    .int()
    .min(0)
    .max(MAX_QUOTA)
    .openapi({ description: "What the organisation counts against it now.", format: "int32" }),
});

export const OrganisationPlanSchema = z
  .object({
    object: z.literal("plan").openapi({ description: "Always `plan`." }),
    organisation_id: typeIdOut(ID_PREFIX.organisation).openapi({ description: "The organisation it applies to." }),
    plan: z
      .enum(PLAN_NAMES)
      .openapi({ description: "The plan's name; the table in this schema's description says what each includes." }),
    features: z
      .object(
        Object.fromEntries(
          FEATURES.map((feature) => [feature, z.boolean().openapi({ description: FEATURE_DESCRIPTIONS[feature] })]),
        ) as Record<Feature, z.ZodBoolean>,
      )
      .openapi({ description: "Whether the organisation may use each feature." }),
    quotas: z
      .object(
        Object.fromEntries(
          QUOTAS.map((quota) => [quota, QuotaUsageSchema.openapi({ description: QUOTA_DESCRIPTIONS[quota] })]),
        ) as Record<Quota, typeof QuotaUsageSchema>,
      )
      .openapi({ description: "Each quota's limit and what the organisation uses now." }),
    rate_limit: RateLimitPolicySchema.openapi({
      description: "Requests per credential (each person's token, each service account) in this organisation.",
    }),
    audit_retention_days: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .openapi({ description: "How many days audit events are kept (GET /v1/audit-events).", format: "int32" }),
    overrides: PlanOverridesSchema,
    upgrade_url: z.url().max(500).openapi({ description: "Where the organisation can change its plan." }),
  })
  .openapi("OrganisationPlan", {
    description:
      "What the organisation's plan allows, with its overrides (`overrides`, already applied to `features`, " +
      `\`quotas\` and \`rate_limit\`), and what it uses.\n\n${PLAN_CATALOGUE_MARKDOWN}`,
    example: {
      object: "plan",
      organisation_id: "org_01jbz5v8f2e0qk3c4m5n6p7r8s",
      plan: "free",
      features: Object.fromEntries(FEATURES.map((feature) => [feature, false])),
      quotas: Object.fromEntries(
        QUOTAS.map((quota) => [quota, { limit: PLANS.free.quotas[quota], usage: quota === "members" ? 4 : 0 }]),
      ),
      rate_limit: PLANS.free.rate_limit,
      audit_retention_days: PLANS.free.audit_retention_days,
      overrides: {},
      upgrade_url: "https://muster.dev/pricing",
    },
  });

export function presentPlan(
  organisationId: string,
  plan: Plan,
  overrides: PlanOverrides,
  usage: Record<Quota, number>,
  upgradeUrl: string,
) {
  return {
    object: "plan" as const,
    organisation_id: toTypeId(ID_PREFIX.organisation, organisationId),
    plan: plan.name,
    features: plan.features,
    quotas: Object.fromEntries(
      QUOTAS.map((quota) => [quota, { limit: plan.quotas[quota], usage: usage[quota] }]),
    ) as Record<Quota, { limit: number | null; usage: number }>,
    rate_limit: plan.rate_limit,
    audit_retention_days: plan.audit_retention_days,
    overrides,
    upgrade_url: upgradeUrl,
  };
}
