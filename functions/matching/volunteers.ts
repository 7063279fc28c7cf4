// Volunteers ranked for an opportunity, in one SQL statement that never reads the whole population.
//
// Candidates are discoverable profiles holding at least one required skill (every discoverable profile when the
// opportunity requires none) that pass the hard filters: hours ≥ the opportunity's minimum, its work
// environment among theirs, and with `strict`, every required skill at its level. They are found through the
// GIN expression index of matching keys (migration `matching_keys`), in tiers, best first, each scored exactly
// from the rows:
//   1. (one required skill or none) holding it and touching every variable feature: meeting hours, practice
//      area, a preferred skill;
//   2. holding every required skill (two or more: every pair of them), with the feature sets that could still
//      beat the page's last score;
//   3. holding all but one required skill (n ≥ 2; read as "holds one of the two", or "holds one of their pairs"),
//      likewise; 4. holding fewer (n ≥ 3), likewise.
// (see tiers.ts for how groups are chosen). A feature key always names a required skill too (free at this hour
// *and* holding that skill), so every list a search reads is short. What is never read could not have made the
// page, so the order is exact: score descending, then id.
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
import { type Bound, type Feature, featureSets, groupsRead, guards, threshold, tierIds } from "./tiers";

export interface VolunteerMatchQuery {
  opportunityId: string;
  /** The delivering organisation: its weights score the matches. */
  organisationId: string;
  minHours: number;
  environment: WorkEnvironment;
  meetingMinutes: string | null;
  /** The features that may differ between volunteers, as the opportunity row has them (see tiers.ts). */
  features: Feature[];
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
const keys = (f: Feature) => `(select ${f}_keys from b)`;
/**
 * What volunteer_candidates returns: the id and the row's ctid, which finds the same row version again within the
 * statement (the function sees its snapshot) without an index lookup.
 */
const CANDIDATE = "user_id, row_id";
/** Above this many (skill, hour) or (skill, preferred skill) keys, a search reads the plain hour or skill keys. */
const MAX_COMPOSITE_KEYS = 512;
const WEIGHT: Record<Feature, string> = { v: "wv", a: "wa", p: "wp" };
/** Whether a feature is the same for every volunteer, as the statement itself reads the opportunity. */
const SAME_FOR_ALL: Record<Feature, string> = {
  v: "s.meeting_total = 0",
  a: "cardinality(s.areas) = 0",
  p: "s.n_pref = 0",
};

/**
 * The bound's parts: a feature the caller did not list as variable is always at full marks in the bound, and so
 * is one the statement finds the same for all; the others are `v<f>`. Conservative either way, so a skill
 * changing between the caller's read and this statement can only make a tier read more.
 */
function boundParts(variable: Feature[]): string {
  const all: Feature[] = ["v", "a", "p"];
  const fixed = all
    .map((f) =>
      variable.includes(f) ? ` + case when ${SAME_FOR_ALL[f]} then w.${WEIGHT[f]} else 0 end` : ` + w.${WEIGHT[f]}`,
    )
    .join("");
  const parts = variable.map((f) => `, case when ${SAME_FOR_ALL[f]} then 0 else w.${WEIGHT[f]} end as v${f}`);
  return `w.wh${fixed} as fixed${parts.join("")}`;
}

export function rankVolunteersSql(q: VolunteerMatchQuery): SQL {
  const meeting = sql`${q.meetingMinutes ?? "{}"}::int4multirange`;
  const minHours = sql`${q.minHours}::int`;
  const environment = sql`${q.environment}::text`;
  const sets = featureSets(q.features);
  const full = sets.length - 1;
  const thresholdOf = (tiers: string[]) => threshold(tiers, "user_id", q.limit, q.after);
  const guardsOf = (k: string, t: string, groups: Feature[][], when: string) =>
    guards(bound, k, t, groups, when, `w, b, ${t}, shape s`);
  // Scores a tier's candidates exactly from their rows (the hard filters apply): first what needs only the row,
  // then, for those whose score could still reach the threshold `t` with availability at its bound, the overlap.
  const evaluate = (ids: string, t: string) => sql`
    select pre.user_id, pre.practice_area, pre.max_hours, o.overlap, pre.r, pre.p, pre.a, fv.v, pre.h,
      ${scoreOf("fv", "w")} as score
    from (
      select vp.user_id, vp.practice_area, vp.max_hours_per_week as max_hours, vp.available_minutes, f.*
      from ${sql.raw(ids)} c
      cross join lateral (select * from volunteer_profiles x where x.ctid = c.row_id offset 0) vp
      cross join shape s cross join w
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
        case when s.meeting_total = 0 or coalesce(vp.available_minutes && ${meeting}, false) then 1 else 0 end as v
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
  // The candidates of a tier's groups: its skill keys (all of them, or any), and each feature's keys.
  const candidates = (skill: string, holdsAll: boolean, groups: string) =>
    `volunteer_candidates((select ${skill} from b), ${holdsAll}, ${groups}, ${keys("v")}, ${keys("a")}, ${keys("p")})`;
  const all = "1";
  const allButOne = "case when s.n_req = 0 then 1 else (s.n_req - 1)::numeric / s.n_req end";
  const fewer = "case when s.n_req = 0 then 1 else (s.n_req - 2)::numeric / s.n_req end";
  const proper = sets.slice(0, full);

  return sql`
with os as materialized (
  select x.skill_id, x.level::numeric as level, x.requirement = 'required' as required, k.name, k.practice_areas
  from opportunity_skills x join skills k on k.id = x.skill_id
  where x.opportunity_id = ${q.opportunityId}
),
shape as materialized (
  select c.*, ar.areas, ${totalMinutes(meeting)} as meeting_total, match_week_hours(${meeting}) as meeting_hours
  from (
    select count(*) filter (where required)::int as n_req, count(*) filter (where not required)::int as n_pref,
      coalesce(array_agg(skill_id) filter (where required), '{}') as req_ids,
      coalesce(array_agg(skill_id) filter (where not required), '{}') as pref_ids
    from os
  ) c
  cross join lateral (
    select coalesce(array_agg(distinct x), '{}') as areas from os, unnest(os.practice_areas) x where os.required or c.n_req = 0
  ) ar
),
w as materialized (${weightsOf(q.organisationId)}),
-- What bounds a score, and the keys a search reads (see the matching_keys migration): the required skills one by
-- one and in pairs, and each variable feature combined with a required skill (alone when there is none, or when
-- the combinations would be too many).
b as materialized (
  select ${sql.raw(boundParts(q.features))},
    case when s.n_req >= 2 then k.pairs else k.singles end as all_keys,
    case when s.n_req = 2 then k.singles else k.pairs end as some_keys,
    k.singles as any_keys,
    case when s.n_req > 0 and s.n_req * cardinality(s.meeting_hours) <= ${MAX_COMPOSITE_KEYS}
      then array(select hashtext('sh' || x || ':' || h) from unnest(s.req_ids) x, unnest(s.meeting_hours) h)
      else array(select hashtext('h' || h) from unnest(s.meeting_hours) h) end as v_keys,
    case when s.n_req > 0 then array(select hashtext('sa' || x || a) from unnest(s.req_ids) x, unnest(s.areas) a)
      else array(select hashtext('a' || a) from unnest(s.areas) a) end as a_keys,
    case when s.n_req > 0 and s.n_req * s.n_pref <= ${MAX_COMPOSITE_KEYS}
      then array(select hashtext('sp' || least(x, y) || greatest(x, y)) from unnest(s.req_ids) x, unnest(s.pref_ids) y)
      else array(select hashtext('s' || y) from unnest(s.pref_ids) y) end as p_keys
  from shape s cross join w
  cross join lateral (select
    array(select hashtext('s' || x) from unnest(s.req_ids) x) as singles,
    array(select hashtext('sp' || x || y) from unnest(s.req_ids) x, unnest(s.req_ids) y where x < y) as pairs
  ) k
),
-- With one required skill or none, holding them all says little: start with those touching every feature too.
tier1_ids as materialized (${tierIds(
    candidates("all_keys", true, `case when (select n_req from shape) <= 1 then array['${q.features.join("")}'] end`),
    [],
    CANDIDATE,
  )}),
tier1 as materialized (${evaluate("tier1_ids", "-1")}),
t1 as materialized (select ${thresholdOf(["tier1"])} as t),
tier2_guards as materialized (${guardsOf(all, "t1", proper, "true")}),
tier2_ids as materialized (${tierIds(candidates("all_keys", true, groupsRead("tier2", proper)), ["tier1"], CANDIDATE)}),
tier2 as materialized (${evaluate("tier2_ids", "(select t from t1)")}),
t2 as materialized (select ${thresholdOf(["tier1", "tier2"])} as t),
tier3_guards as materialized (${guardsOf(allButOne, "t2", sets, "s.n_req >= 2")}),
tier3_ids as materialized (${tierIds(candidates("some_keys", false, groupsRead("tier3", sets)), ["tier1", "tier2"], CANDIDATE)}),
tier3 as materialized (${evaluate("tier3_ids", "(select t from t2)")}),
t3 as materialized (select ${thresholdOf(["tier1", "tier2", "tier3"])} as t),
tier4_guards as materialized (${guardsOf(fewer, "t3", sets, "s.n_req >= 3")}),
tier4_ids as materialized (${tierIds(candidates("any_keys", false, groupsRead("tier4", sets)), ["tier1", "tier2", "tier3"], CANDIDATE)}),
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
