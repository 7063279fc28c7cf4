import type { RouteHandler } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { OPPORTUNITY_STATUSES } from "../../schema";
import { instantInput } from "../platform/dates";
import { ID_PREFIX, timestampOut, toTypeId, typeIdOut, typeIdSchema } from "../platform/ids";
import type { AppEnv } from "../platform/request";
import { defineRoute } from "../platform/router";
import { tenancy } from "../platform/tenancy";
import { DEFAULT_RANGE_DAYS, dashboardOf, INTERVALS, MAX_RANGE_DAYS, METRICS, periodOf } from "./service";

const instant = instantInput();

const count = z.number().int().min(0).openapi({ format: "int32", maximum: 2147483647 });

const MetricSchema = z
  .object({
    key: z
      .enum(METRICS.map((metric) => metric.key) as [string, ...string[]])
      .openapi({ description: "Which metric, stable for code." }),
    label: z.string().max(60).openapi({ description: "For people: the metric's name." }),
    value: count.openapi({ description: "At `until` (invitations accepted: in the period)." }),
    previous: count.openapi({ description: "At `since` (invitations accepted: in the period before, as long)." }),
    change: z.number().int().openapi({
      description: "`value` minus `previous`.",
      format: "int32",
      minimum: -2147483648,
      maximum: 2147483647,
    }),
    trend: z
      .enum(["up", "down", "flat"])
      .openapi({ description: "The sign of `change`: `up` above 0, `down` below, `flat` at 0." }),
  })
  .openapi("DashboardMetric", {
    example: { key: "members", label: "Members", value: 42, previous: 37, change: 5, trend: "up" },
  });

const DashboardSchema = z
  .object({
    object: z.literal("analytics_dashboard").openapi({ description: "Always `analytics_dashboard`." }),
    organisation_id: typeIdOut(ID_PREFIX.organisation).openapi({ description: "The organisation it describes." }),
    since: timestampOut().openapi({ description: "The period's start (included), as applied." }),
    until: timestampOut().openapi({ description: "The period's end (excluded), as applied." }),
    interval: z.enum(INTERVALS).openapi({ description: "The bucket of `series`." }),
    previous_period: z
      .object({
        since: timestampOut().openapi({ description: "Its start: as long before `since` as the period is long." }),
        until: timestampOut().openapi({ description: "Its end: the period's `since`." }),
      })
      .openapi({ description: "The period of equal length just before, which `previous` of a flow metric covers." }),
    metrics: z
      .array(MetricSchema)
      .max(METRICS.length)
      .openapi({ description: "The headline numbers, each with its value then and the change." }),
    funnel: z
      .object({
        created: count.openapi({ description: "Invitations created in the period." }),
        delivered: count.openapi({ description: "Their message was sent (email) or reached the handset (SMS)." }),
        accepted: count.openapi({ description: "Of those, accepted by now." }),
        declined: count.openapi({ description: "Of those, declined by now." }),
        expired: count.openapi({ description: "Of those, `expired` unanswered." }),
        cancelled: count.openapi({ description: "Of those, cancelled by the organisation." }),
        pending: count.openapi({ description: "Of those, still `pending`." }),
        acceptance_rate: z
          .number()
          .min(0)
          .max(1)
          .nullable()
          .openapi({ description: "accepted / created, 0-1 with 4 decimals; null when none was created." }),
        median_hours_to_accept: z.number().min(0).max(100000).nullable().openapi({
          description: "The median hours from creation to acceptance of the accepted ones, 2 decimals; null if none.",
        }),
      })
      .openapi({ description: "The invitations created in the period, and where they stand now." }),
    opportunities_by_status: z
      .object(
        Object.fromEntries(
          OPPORTUNITY_STATUSES.map((status) => [
            status,
            count.openapi({ description: `Opportunities with status \`${status}\` now.` }),
          ]),
        ),
      )
      .openapi({ description: "The organisation's opportunities now, by status (every status, 0 included)." }),
    series: z
      .array(
        z.object({
          start: timestampOut().openapi({ description: "The bucket's start (UTC midnight; a Monday for weeks)." }),
          invitations_created: count.openapi({ description: "Invitations created in the bucket." }),
          invitations_accepted: count.openapi({ description: "Invitations accepted in the bucket." }),
          members_joined: count.openapi({ description: "Members (still in the organisation) who joined then." }),
        }),
      )
      .max(MAX_RANGE_DAYS + 1)
      .openapi({ description: "One bucket per interval (UTC; weeks start on Monday), empty ones with zeros." }),
  })
  .openapi("AnalyticsDashboard", {
    example: {
      object: "analytics_dashboard",
      organisation_id: "org_01h455vb4pex5vsknk084sn02q",
      since: "2026-01-05T00:00:00.000Z",
      until: "2026-02-02T00:00:00.000Z",
      interval: "week",
      previous_period: { since: "2025-12-08T00:00:00.000Z", until: "2026-01-05T00:00:00.000Z" },
      metrics: [
        { key: "members", label: "Members", value: 42, previous: 37, change: 5, trend: "up" },
        { key: "pending_invitations", label: "Pending invitations", value: 6, previous: 9, change: -3, trend: "down" },
        { key: "invitations_accepted", label: "Invitations accepted", value: 7, previous: 4, change: 3, trend: "up" },
        { key: "open_opportunities", label: "Open opportunities", value: 3, previous: 3, change: 0, trend: "flat" },
        { key: "programs", label: "Programs", value: 2, previous: 2, change: 0, trend: "flat" },
      ],
      funnel: {
        created: 12,
        delivered: 11,
        accepted: 5,
        declined: 1,
        expired: 0,
        cancelled: 1,
        pending: 5,
        acceptance_rate: 0.4167,
        median_hours_to_accept: 20.5,
      },
      opportunities_by_status: { draft: 1, open: 3, on_hold: 0, closed: 2, filled: 1 },
      series: [
        { start: "2026-01-05T00:00:00.000Z", invitations_created: 4, invitations_accepted: 2, members_joined: 2 },
        { start: "2026-01-12T00:00:00.000Z", invitations_created: 3, invitations_accepted: 1, members_joined: 1 },
        { start: "2026-01-19T00:00:00.000Z", invitations_created: 5, invitations_accepted: 3, members_joined: 2 },
        { start: "2026-01-26T00:00:00.000Z", invitations_created: 0, invitations_accepted: 1, members_joined: 0 },
      ],
    },
  });

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
    "since. The numbers are the whole organisation's: an access list narrows what lists show, not these totals, " +
    "so give `analytics:read` to those who may know them. Needs `analytics:read` and a plan with `analytics`.",
  access: { permission: "analytics:read", feature: "analytics" },
  request: {
    query: z.object({
      organisation_id: typeIdSchema(ID_PREFIX.organisation)
        .optional()
        .openapi({ description: "Required for people; a service account's token implies it." }),
      since: instant.optional().openapi({
        description:
          `Start of the period, ISO 8601 (default: ${DEFAULT_RANGE_DAYS} days before until); before \`until\` ` +
          `and at most ${MAX_RANGE_DAYS} days before it (else 400).`,
      }),
      until: instant.optional().openapi({ description: "End of the period, excluded, ISO 8601 (default: now)." }),
      interval: z
        .enum(INTERVALS)
        .default("day")
        .openapi({ description: "The series' bucket: `day`, `week` (from Monday) or `month`, in UTC. Default `day`." }),
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
