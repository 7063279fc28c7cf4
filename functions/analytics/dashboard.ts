import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { OPPORTUNITY_STATUSES } from "../../schema";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { DEFAULT_RANGE_DAYS, dashboardOf, INTERVALS, MAX_RANGE_DAYS, METRICS, periodOf } from "./service";

const instant = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .openapi({ type: "string", format: "date-time", maxLength: 40 });

const count = z.number().int().min(0).openapi({ format: "int32", maximum: 2147483647 });

const MetricSchema = z
  .object({
    key: z.enum(METRICS.map((metric) => metric.key) as [string, ...string[]]),
    label: z.string().max(60).openapi({ description: "For people: the metric's name." }),
    value: count.openapi({ description: "At `until` (invitations accepted: in the period)." }),
    previous: count.openapi({ description: "At `since` (invitations accepted: in the period before, as long)." }),
    change: z.number().int().openapi({ format: "int32", minimum: -2147483648, maximum: 2147483647 }),
    trend: z.enum(["up", "down", "flat"]),
  })
  .openapi("DashboardMetric");

const DashboardSchema = z
  .object({
    object: z.literal("analytics_dashboard"),
    organisation_id: typeIdOut(ID_PREFIX.organisation),
    since: timestampOut(),
    until: timestampOut(),
    interval: z.enum(INTERVALS),
    previous_period: z.object({ since: timestampOut(), until: timestampOut() }),
    metrics: z.array(MetricSchema).max(METRICS.length),
    funnel: z
      .object({
        created: count,
        delivered: count.openapi({ description: "Their message was sent (email) or reached the handset (SMS)." }),
        accepted: count,
        declined: count,
        expired: count,
        cancelled: count,
        pending: count,
        acceptance_rate: z.number().min(0).max(1).nullable().openapi({ description: "accepted / created." }),
        median_hours_to_accept: z.number().min(0).max(100000).nullable(),
      })
      .openapi({ description: "The invitations created in the period, and where they stand now." }),
    opportunities_by_status: z
      .object(Object.fromEntries(OPPORTUNITY_STATUSES.map((status) => [status, count])))
      .openapi({ description: "The organisation's opportunities now, by status." }),
    series: z
      .array(
        z.object({
          start: timestampOut(),
          invitations_created: count,
          invitations_accepted: count,
          members_joined: count.openapi({ description: "Members (still in the organisation) who joined then." }),
        }),
      )
      .max(MAX_RANGE_DAYS + 1)
      .openapi({ description: "One bucket per interval (UTC; weeks start on Monday), empty ones with zeros." }),
  })
  .openapi("AnalyticsDashboard");

export const route = defineRoute({
  method: "get",
  path: "/v1/analytics/dashboard",
  operationId: "getAnalyticsDashboard",
  tags: ["Analytics"],
  summary: "Headline numbers, the invitation funnel and time series of the organisation",
  description:
    `For \`since\`..\`until\` (default: the last ${DEFAULT_RANGE_DAYS} days; at most ${MAX_RANGE_DAYS} days): ` +
    "members, pending invitations, open opportunities and programs at `until` against `since`, and invitations " +
    "accepted in the period against the period before it; the funnel of the invitations created in the period; " +
    "opportunities by status; and invitations created and accepted and members joined per `interval`, empty " +
    "buckets filled. Past values are the rows as they are, corrected by the audit trail's record of what changed " +
    "since. Needs `analytics:read` and a plan with `analytics`.",
  access: { permission: "analytics:read", feature: "analytics" },
  request: {
    query: z.object({
      organisation_id: typeIdSchema(ID_PREFIX.organisation)
        .optional()
        .openapi({ description: "Required for people; a service account's token implies it." }),
      since: instant.optional().openapi({ description: "Start of the period (default: 30 days before until)." }),
      until: instant.optional().openapi({ description: "End of the period, excluded (default: now)." }),
      interval: z.enum(INTERVALS).default("day").openapi({ description: "The series' bucket." }),
    }),
  },
  responses: {
    200: {
      description: "The dashboard.",
      content: { "application/json": { schema: DashboardSchema } },
    },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { organisation_id, ...query } = c.req.valid("query");
  const period = periodOf(query);
  const ctx = await tenancy(c).enter(organisation_id);
  const dashboard = await dashboardOf(ctx, period);
  return c.json(
    {
      object: "analytics_dashboard" as const,
      organisation_id: toTypeId(ID_PREFIX.organisation, ctx.organisationId),
      since: period.since.toISOString(),
      until: period.until.toISOString(),
      interval: period.interval,
      ...dashboard,
    },
    200,
  );
};
