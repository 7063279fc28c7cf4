// Volunteers ranked for an opportunity, in one SQL statement that never reads the whole population.
//
// Candidates are discoverable profiles holding at least one required skill (every discoverable profile when the
// opportunity requires none) that pass the hard filters: hours ≥ the opportunity's minimum, its work
// environment among theirs, and with `strict`, every required skill at its level. They are found through the
// GIN index on `volunteer_profiles.match_tokens` in tiers, best first, each scored exactly from the rows:
//   1. holding every required skill and touching every variable feature (meeting hours, practice area,
//      a preferred skill);
//   2. holding every required skill, with the feature sets that could still beat the page's last score;
//   3. holding all but one required skill (n ≥ 2), likewise; 4. holding fewer (n ≥ 3), likewise.
// (see tiers.ts for how groups are chosen). What is never read could not have made the page, so the order is
// exact: score descending, then id.
import { type SQL, sql } from "drizzle-orm";
import type { WorkEnvironment } from "../../schema";
import type { Queryable } from "../platform/db";
import type { SkillHeld } from "./explain";
import {
  type After,
  afterCursor,
  factor,
  hoursFactor,
  overlapMinutes,
  scoreOf,
  totalMinutes,
  weightsOf,
} from "./scoring";
import {
  ALL_FEATURES,
  type Bound,
  EVERY_SET,
  type Feature,
  guards,
  PROPER_SETS,
  threshold,
  tierIds,
  touching,
} from "./tiers";

export interface VolunteerMatchQuery {
  opportunityId: string;
  /** The delivering organisation: its weights score the matches. */
  organisationId: string;
  minHours: number;
  environment: WorkEnvironment;
  meetingMinutes: string | null;
  strict: boolean;
  after?: After;
  limit: number;
}

export interface VolunteerMatchRow extends Record<string, unknown> {
  user_id: string;
  name: string | null;
  practice_area: string | null;
  max_hours: number;
  overlap: number;
  r: string;
  p: string;
  a: string | number;
  v: string;
  h: string;
  score: string;
  wr: string;
  wp: string;
  wa: string;
  wv: string;
  wh: string;
  n_req: number;
  n_pref: number;
  areas: string[];
  meeting_total: number;
  skills: SkillHeld[];
  /** How many candidates were scored (read from the rows), for the benchmark. */
  evaluated: number;
}

/** The org side's bound: its one set of weights, the fixed part `b.fixed` and the variable features' `b.v<f>`. */
const bound: Bound = (k, features) =>
  `round(100 * (w.wr * ${k} + b.fixed${features.map((f) => ` + b.v${f}`).join("")}) / w.total, 1)`;
const tokens = (f: Feature) => `(select ${f}_tokens from b)`;

export function rankVolunteersSql(q: VolunteerMatchQuery): SQL {
  const meeting = sql`${q.meetingMinutes ?? "{}"}::int4multirange`;
  const minHours = sql`${q.minHours}::int`;
  const environment = sql`${q.environment}::text`;
  const thresholdOf = (tiers: string[]) => threshold(tiers, "user_id", q.limit, q.after);
  const guardsOf = (k: string, t: string, sets: number[], when: string) =>
    guards(bound, k, t, sets, when, `w, b, ${t}, shape s`);
  // Scores a tier's candidates exactly from their rows (the hard filters apply): first what needs only the row,
  // then, for those whose score could still reach the threshold `t` with availability at its bound, the overlap.
  const evaluate = (ids: string, t: string) => sql`
    select pre.user_id, pre.practice_area, pre.max_hours, o.overlap, pre.r, pre.p, pre.a, fv.v, pre.h,
      ${scoreOf("fv", "w")} as score
    from (
      select vp.user_id, vp.practice_area, vp.max_hours_per_week as max_hours, vp.available_minutes, f.*
      from ${sql.raw(ids)} c
      cross join lateral (select * from volunteer_profiles x where x.user_id = c.user_id offset 0) vp
      cross join shape s cross join w cross join b
      cross join lateral (
        select coalesce(sum(least(l.level / os.level, 1)) filter (where os.required), 0) as req_sum,
          coalesce(sum(least(l.level / os.level, 1)) filter (where not os.required), 0) as pref_sum,
          count(*) filter (where os.required and l.level >= os.level) as req_full
        from os cross join lateral (
          select vp.match_skill_levels[array_position(vp.match_skill_ids, os.skill_id)]::numeric as level
        ) l
        where l.level is not null
      ) m
      cross join lateral (select
        case when s.n_req = 0 then 1 else ${factor(sql.raw("m.req_sum / s.n_req"))} end as r,
        case when s.n_pref = 0 then 1 else ${factor(sql.raw("m.pref_sum / s.n_pref"))} end as p,
        case when cardinality(s.areas) = 0 or vp.practice_area = any(s.areas) then 1 else 0 end as a,
        ${hoursFactor(sql.raw("vp.max_hours_per_week"), minHours)} as h,
        case when s.meeting_total = 0 or vp.match_tokens && b.v_tokens then 1 else 0 end as v
      ) f
      where vp.discoverable and vp.max_hours_per_week >= ${minHours} and ${environment} = any(vp.work_environments)
        and (not ${q.strict} or m.req_full = s.n_req) and ${scoreOf("f", "w")} >= ${sql.raw(t)}
      offset 0
    ) pre
    cross join shape s cross join w
    cross join lateral (select ${overlapMinutes(sql.raw("pre.available_minutes"), meeting)} as overlap offset 0) o
    cross join lateral (select pre.r, pre.p, pre.a, pre.h,
      case when s.meeting_total = 0 then 1 else ${factor(sql.raw("o.overlap::numeric / s.meeting_total"))} end as v
    ) fv`;
  const holding = (skills: string) => (i: number) =>
    `select vp.user_id from volunteer_profiles vp where vp.discoverable and ${skills}${touching("vp", i, tokens)}`;
  const holdsAll = holding("vp.match_tokens @> (select req_tokens from shape)");
  const holdsAny = holding("vp.match_tokens && (select req_tokens from shape)");
  // Holding all but one: one GIN scan per subset, each with the feature conditions in the same index scan.
  const holdsAllButOne = (i: number) =>
    `select y.user_id from subsets ss cross join lateral (select vp.user_id from volunteer_profiles vp
      where vp.discoverable and vp.match_tokens @> ss.tokens${touching("vp", i, tokens)} offset 0) y where true`;
  const all = "1";
  const allButOne = "case when s.n_req = 0 then 1 else (s.n_req - 1)::numeric / s.n_req end";
  const fewer = "case when s.n_req = 0 then 1 else (s.n_req - 2)::numeric / s.n_req end";

  return sql`
with os as materialized (
  select x.skill_id, x.level::numeric as level, x.requirement = 'required' as required,
    match_skill_token(x.skill_id) as token, k.name, k.practice_areas
  from opportunity_skills x join skills k on k.id = x.skill_id
  where x.opportunity_id = ${q.opportunityId}
),
shape as materialized (
  select c.*, ar.areas, array_remove(array(select match_area_token(x) from unnest(ar.areas) x), null) as area_tokens,
    ${totalMinutes(meeting)} as meeting_total, match_hour_tokens(${meeting}) as meeting_tokens
  from (
    select count(*) filter (where required)::int as n_req, count(*) filter (where not required)::int as n_pref,
      coalesce(array_agg(token) filter (where required), '{}') as req_tokens,
      coalesce(array_agg(token) filter (where not required), '{}') as pref_tokens
    from os
  ) c
  cross join lateral (
    select coalesce(array_agg(distinct x), '{}') as areas from os, unnest(os.practice_areas) x where os.required or c.n_req = 0
  ) ar
),
w as materialized (${weightsOf(q.organisationId)}),
-- What bounds a score: the part every candidate may reach, and each variable feature's weight and tokens (a
-- feature that is the same for everyone is in the fixed part; its tokens are then 100000, which every profile has).
b as materialized (
  select w.wh + case when s.n_pref = 0 then w.wp else 0 end + case when cardinality(s.area_tokens) = 0 then w.wa else 0 end
      + case when s.meeting_total = 0 then w.wv else 0 end as fixed,
    case when s.meeting_total > 0 then w.wv else 0 end as vv,
    case when cardinality(s.area_tokens) > 0 then w.wa else 0 end as va,
    case when s.n_pref > 0 then w.wp else 0 end as vp,
    case when s.meeting_total > 0 then s.meeting_tokens else '{100000}' end as v_tokens,
    case when cardinality(s.area_tokens) > 0 then s.area_tokens else '{100000}' end as a_tokens,
    case when s.n_pref > 0 then s.pref_tokens else '{100000}' end as p_tokens
  from shape s, w
),
-- With one required skill or none, holding them all says little: start with those touching every feature too.
tier1_ids as materialized (
  select vp.user_id from volunteer_profiles vp where (select n_req from shape) <= 1 and vp.discoverable
    and vp.match_tokens @> (select req_tokens from shape)${sql.raw(touching("vp", ALL_FEATURES, tokens))}
),
tier1 as materialized (${evaluate("tier1_ids", "-1")}),
t1 as materialized (select ${thresholdOf(["tier1"])} as t),
tier2_guards as materialized (${guardsOf(all, "t1", PROPER_SETS, "true")}),
tier2_ids as materialized (${tierIds("tier2", PROPER_SETS, holdsAll, ["tier1"], "user_id")}),
tier2 as materialized (${evaluate("tier2_ids", "(select t from t1)")}),
t2 as materialized (select ${thresholdOf(["tier1", "tier2"])} as t),
subsets as materialized (
  select array_agg(t.token order by t.i) filter (where t.i <> e.i) as tokens
  from shape s, unnest(s.req_tokens) with ordinality e(token, i), unnest(s.req_tokens) with ordinality t(token, i)
  where s.n_req >= 2 group by e.i
),
tier3_guards as materialized (${guardsOf(allButOne, "t2", EVERY_SET, "s.n_req >= 2")}),
tier3_ids as materialized (${tierIds("tier3", EVERY_SET, holdsAllButOne, ["tier1", "tier2"], "user_id")}),
tier3 as materialized (${evaluate("tier3_ids", "(select t from t2)")}),
t3 as materialized (select ${thresholdOf(["tier1", "tier2", "tier3"])} as t),
tier4_guards as materialized (${guardsOf(fewer, "t3", EVERY_SET, "s.n_req >= 3")}),
tier4_ids as materialized (${tierIds("tier4", EVERY_SET, holdsAny, ["tier1", "tier2", "tier3"], "user_id")}),
tier4 as materialized (${evaluate("tier4_ids", "(select t from t3)")}),
ranked as (select * from tier1 union all select * from tier2 union all select * from tier3 union all select * from tier4),
page as materialized (
  select * from ranked where ${afterCursor(sql.raw("score"), sql.raw("user_id"), q.after)}
  order by score desc, user_id limit ${q.limit + 1}
)
select pg.user_id, u.name, pg.practice_area, pg.max_hours, pg.overlap, pg.r, pg.p, pg.a, pg.v, pg.h, pg.score,
  w.wr, w.wp, w.wa, w.wv, w.wh, s.n_req, s.n_pref, s.areas, s.meeting_total,
  (select coalesce(jsonb_agg(jsonb_build_object('skill_id', os.skill_id, 'name', os.name, 'required', os.required,
      'required_level', os.level, 'level', ps.level) order by os.required desc, os.name, os.skill_id), '[]')
    from os left join profile_skills ps on ps.user_id = pg.user_id and ps.skill_id = os.skill_id) as skills,
  (select count(*) from ranked)::int as evaluated
from page pg join users u on u.id = pg.user_id cross join w cross join shape s
order by pg.score desc, pg.user_id`;
}

/** The page of volunteers for an opportunity (limit + 1 rows, to tell whether there is more), best first. */
export async function rankVolunteers(db: Queryable, query: VolunteerMatchQuery): Promise<VolunteerMatchRow[]> {
  const result = await db.execute<VolunteerMatchRow>(rankVolunteersSql(query));
  return result.rows;
}
