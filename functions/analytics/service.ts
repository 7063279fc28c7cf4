import { sql } from "drizzle-orm";
import { OPPORTUNITY_STATUSES, type OpportunityStatus } from "../../schema";
import { DAY_MS } from "../platform/clock";
import { validationError } from "../platform/errors";
import type { OrgContext } from "../platform/tenancy";

export const INTERVALS = ["day", "week", "month"] as const;
export type Interval = (typeof INTERVALS)[number];

/** The longest since..until a dashboard covers: a year of days, so a series stays a few hundred buckets. */
export const MAX_RANGE_DAYS = 366;
export const DEFAULT_RANGE_DAYS = 30;

export const METRICS = [
  { key: "members", label: "Members" },
  { key: "pending_invitations", label: "Pending invitations" },
  { key: "invitations_accepted", label: "Invitations accepted" },
  { key: "open_opportunities", label: "Open opportunities" },
  { key: "programs", label: "Programs" },
] as const;
type MetricKey = (typeof METRICS)[number]["key"];

export interface Period {
  since: Date;
  until: Date;
  interval: Interval;
}

/** The period asked for, defaulted (the last 30 days, by day) and bounded: since before until, at most a year. */
export function periodOf(query: { since?: Date; until?: Date; interval: Interval }, now = new Date()): Period {
  const until = query.until ?? now;
  const since = query.since ?? new Date(until.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
  if (since >= until) throw validationError({ since: ["must be before until"] });
  if (until.getTime() - since.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw validationError({ since: [`must be at most ${MAX_RANGE_DAYS} days before until`] });
  }
  return { since, until, interval: query.interval };
}

/** When the row an audit event names was made: a UUIDv7's first 48 bits are its milliseconds (any Postgres). */
const madeAt = (alias: "e" | "d") =>
  sql.raw(`to_timestamp(('x' || left(replace(${alias}.resource_id::text, '-', ''), 12))::bit(48)::bigint / 1000.0)`);

interface DashboardRow {
  value_members: number;
  previous_members: number;
  value_pending_invitations: number;
  previous_pending_invitations: number;
  value_invitations_accepted: number;
  previous_invitations_accepted: number;
  value_open_opportunities: number;
  previous_open_opportunities: number;
  value_programs: number;
  previous_programs: number;
  funnel: {
    created: number;
    delivered: number;
    accepted: number;
    declined: number;
    expired: number;
    cancelled: number;
    pending: number;
    median_hours_to_accept: number | null;
  };
  by_status: Partial<Record<OpportunityStatus, number>> | null;
  series: { start: string; invitations_created: number; invitations_accepted: number; members_joined: number }[];
}

/**
 * Everything the dashboard shows, in one statement. What the organisation holds at an instant (members, pending
 * invitations, open opportunities, programs) is read at `until` and at `since` (the previous value): from the
 * rows as they are, corrected by what the audit trail says changed after that instant (members who left and
 * programs deleted since then, whose ids — UUIDv7, their first 48 bits the milliseconds — say when they were made; an opportunity's status then is the
 * `old` of its first status change after it). Invitations accepted count in the period and in the one before it,
 * of the same length. The funnel follows the invitations created in the period; the series fills empty buckets.
 * Buckets are in UTC; a week starts on Monday.
 */
export async function dashboardOf(ctx: OrgContext, period: Period) {
  const span = period.until.getTime() - period.since.getTime();
  const previousSince = new Date(period.since.getTime() - span);
  const org = ctx.organisationId;
  const step = sql.raw(`'1 ${period.interval}'::interval`);
  const unit = period.interval;
  const result = await ctx.db.execute<DashboardRow & Record<string, unknown>>(sql`
    with p as (
      select ${org}::uuid as org, ${period.since.toISOString()}::timestamptz as since,
             ${period.until.toISOString()}::timestamptz as until, ${previousSince.toISOString()}::timestamptz as prev
    ),
    points as (select 'value' as which, p.until as t from p union all select 'previous', p.since from p),
    state as (
      select pt.which,
        (select count(*) from memberships m where m.organisation_id = p.org and m.created_at <= pt.t)
        + (select count(*) from audit_events e
            where e.organisation_id = p.org and e.action in ('member.removed', 'member.left')
              and e.created_at > pt.t and ${madeAt("e")} <= pt.t) as members,
        (select count(*) from invitations i
            where i.organisation_id = p.org and i.created_at <= pt.t and i.expires_at > pt.t
              and not coalesce(i.accepted_at <= pt.t or i.declined_at <= pt.t or i.cancelled_at <= pt.t
                               or i.expired_at <= pt.t, false)) as pending_invitations,
        (select count(*) from opportunities o
            where o.organisation_id = p.org and o.created_at <= pt.t
              and coalesce((select e.changes -> 'status' ->> 'old' from audit_events e
                              where e.organisation_id = p.org and e.resource_type = 'opportunity'
                                and e.resource_id = o.id and e.action = 'opportunity.status_changed'
                                and e.created_at > pt.t
                              order by e.id limit 1), o.status) = 'open')
        + (select count(*) from audit_events d
            where d.organisation_id = p.org and d.action = 'opportunity.deleted' and d.created_at > pt.t
              and ${madeAt("d")} <= pt.t
              and coalesce((select e.changes -> 'status' ->> 'old' from audit_events e
                              where e.organisation_id = p.org and e.resource_type = 'opportunity'
                                and e.resource_id = d.resource_id and e.action = 'opportunity.status_changed'
                                and e.created_at > pt.t
                              order by e.id limit 1), d.changes -> 'status' ->> 'old') = 'open') as open_opportunities,
        (select count(*) from programs g where g.organisation_id = p.org and g.created_at <= pt.t)
        + (select count(*) from audit_events e
            where e.organisation_id = p.org and e.action = 'program.deleted'
              and e.created_at > pt.t and ${madeAt("e")} <= pt.t) as programs
      from points pt, p
    ),
    made as (
      select i.* from invitations i, p
      where i.organisation_id = p.org and i.created_at >= p.since and i.created_at < p.until
    ),
    buckets as (
      select generate_series(date_trunc(${unit}, p.since, 'UTC'), p.until - interval '1 microsecond', ${step}) as start
      from p
    ),
    created_by as (
      select date_trunc(${unit}, created_at, 'UTC') as start, count(*) as n from made group by 1
    ),
    accepted_by as (
      select date_trunc(${unit}, i.accepted_at, 'UTC') as start, count(*) as n
      from invitations i, p
      where i.organisation_id = p.org and i.accepted_at >= p.since and i.accepted_at < p.until group by 1
    ),
    joined_by as (
      select date_trunc(${unit}, m.created_at, 'UTC') as start, count(*) as n
      from memberships m, p
      where m.organisation_id = p.org and m.created_at >= p.since and m.created_at < p.until group by 1
    )
    select
      (select members from state where which = 'value')::int as value_members,
      (select members from state where which = 'previous')::int as previous_members,
      (select pending_invitations from state where which = 'value')::int as value_pending_invitations,
      (select pending_invitations from state where which = 'previous')::int as previous_pending_invitations,
      (select count(*) from invitations i, p where i.organisation_id = p.org
         and i.accepted_at >= p.since and i.accepted_at < p.until)::int as value_invitations_accepted,
      (select count(*) from invitations i, p where i.organisation_id = p.org
         and i.accepted_at >= p.prev and i.accepted_at < p.since)::int as previous_invitations_accepted,
      (select open_opportunities from state where which = 'value')::int as value_open_opportunities,
      (select open_opportunities from state where which = 'previous')::int as previous_open_opportunities,
      (select programs from state where which = 'value')::int as value_programs,
      (select programs from state where which = 'previous')::int as previous_programs,
      (select json_build_object(
         'created', count(*),
         'delivered', count(*) filter (where delivery_status in ('sent', 'delivered')),
         'accepted', count(*) filter (where status = 'accepted'),
         'declined', count(*) filter (where status = 'declined'),
         'expired', count(*) filter (where status = 'expired'),
         'cancelled', count(*) filter (where status = 'cancelled'),
         'pending', count(*) filter (where status = 'pending'),
         'median_hours_to_accept', percentile_cont(0.5) within group (
            order by extract(epoch from accepted_at - created_at) / 3600.0) filter (where status = 'accepted')
       ) from made) as funnel,
      (select json_object_agg(status, n) from (
         select o.status, count(*) as n from opportunities o, p where o.organisation_id = p.org group by 1
       ) s) as by_status,
      (select json_agg(json_build_object(
         'start', to_char(b.start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'invitations_created', coalesce(c.n, 0),
         'invitations_accepted', coalesce(a.n, 0),
         'members_joined', coalesce(j.n, 0)) order by b.start)
       from buckets b
       left join created_by c on c.start = b.start
       left join accepted_by a on a.start = b.start
       left join joined_by j on j.start = b.start) as series
  `);
  const row = result.rows[0] as DashboardRow;
  const metric = (key: MetricKey, label: string) => {
    const value = Number(row[`value_${key}`]);
    const previous = Number(row[`previous_${key}`]);
    const change = value - previous;
    const trend: "up" | "down" | "flat" = change > 0 ? "up" : change < 0 ? "down" : "flat";
    return { key, label, value, previous, change, trend };
  };
  const funnel = row.funnel;
  const created = Number(funnel.created);
  const median = funnel.median_hours_to_accept;
  return {
    metrics: METRICS.map(({ key, label }) => metric(key, label)),
    funnel: {
      created,
      delivered: Number(funnel.delivered),
      accepted: Number(funnel.accepted),
      declined: Number(funnel.declined),
      expired: Number(funnel.expired),
      cancelled: Number(funnel.cancelled),
      pending: Number(funnel.pending),
      acceptance_rate: created === 0 ? null : Math.round((Number(funnel.accepted) / created) * 10_000) / 10_000,
      median_hours_to_accept: median === null ? null : Math.round(Number(median) * 100) / 100,
    },
    opportunities_by_status: Object.fromEntries(
      OPPORTUNITY_STATUSES.map((status) => [status, Number(row.by_status?.[status] ?? 0)]),
    ) as Record<OpportunityStatus, number>,
    series: row.series.map((bucket) => ({
      start: bucket.start,
      invitations_created: Number(bucket.invitations_created),
      invitations_accepted: Number(bucket.invitations_accepted),
      members_joined: Number(bucket.members_joined),
    })),
    previous_period: { since: previousSince.toISOString(), until: period.since.toISOString() },
  };
}
