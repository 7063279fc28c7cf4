// Open, public opportunities ranked for a volunteer, in one SQL statement that never reads the whole catalog.
//
// Candidates are the open, public opportunities that require or prefer at least one of the volunteer's skills
// (one that lists no skill at all matches nobody in particular: it is in the catalog, not here) passing the hard
// filters: a minimum of hours within the volunteer's maximum, a work environment of theirs, and with `strict`,
// every required skill held at its level. They are found in tiers (see tiers.ts), each scored exactly from the
// rows, with the weights of the opportunity's organisation:
//   1. requiring only skills the volunteer holds (or none, preferring one of theirs) and touching every feature
//      (meeting minutes they are free, their practice area, a preferred skill of theirs) — up to
//      MAX_SUBSET_SKILLS skills, by an index-only scan of `match_required_set` probed with every subset of
//      theirs; beyond, through the GIN index on `match_tokens` (its first five required skills, by position,
//      all theirs);
//   2. likewise, with the feature sets that could still reach the page's last score;
//   3. any other candidate (GIN), likewise: it misses a required skill, so its required-skill coverage is at
//      most 29/30 (an opportunity requires at most 30 skills).
// Bounds take the most generous weights any organisation uses, so the order is exact: score descending, then id.
import { type SQL, sql } from "drizzle-orm";
import type { Queryable } from "../platform/db";
import type { SkillHeld } from "./explain";
import type { After } from "./scoring";
import {
  afterCursor,
  defaultWeights,
  factor,
  hoursFactor,
  organisationWeights,
  overlapMinutes,
  scoreOf,
  totalMinutes,
} from "./scoring";
import { type Bound, type Feature, featureSets, groupsRead, guards, threshold, tierIds } from "./tiers";

/** The API's cap on required skills: an opportunity missing one has a coverage of at most (30 − 1) / 30. */
export const MAX_REQUIRED_SKILLS = 30;
/** How many of an opportunity's required skills carry a position token (see the matching_tokens migration). */
const POSITIONS = 5;
/**
 * Up to this many skills, "requires only skills I hold" is one probe per subset of mine (2^12 - 1 at most) of the
 * hash of an opportunity's exact set of required skills (migration matching_required_sets); beyond, through the
 * position tokens.
 */
export const MAX_SUBSET_SKILLS = 12;
/** Every feature varies between opportunities (one without meeting times or preferred skills has a token saying so). */
const FEATURES: Feature[] = ["v", "a", "p"];
const SETS = featureSets(FEATURES);
const FULL = SETS.length - 1;

/** The volunteer asking, as their profile row has them. */
export interface Volunteer {
  userId: string;
  practiceArea: string | null;
  maxHoursPerWeek: number;
  workEnvironments: string[];
  availableMinutes: string | null;
}

export interface OpportunityMatchQuery {
  volunteer: Volunteer;
  strict: boolean;
  after?: After;
  limit: number;
}

export interface OpportunityMatchRow extends Record<string, unknown> {
  id: string;
  name: string;
  organisation_id: string;
  short_description: string;
  work_environment: string;
  min_hours: number;
  overlap: number;
  meeting_total: number;
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
  skills: SkillHeld[];
  evaluated: number;
}

const WEIGHT: Record<Feature, string> = { v: "wv", a: "wa", p: "wp" };
/** The volunteer side's bound: the best over every set of weights in use. */
const bound: Bound = (k, features) =>
  `(select max(round(100 * (v.wr * ${k} + v.wh${features.map((f) => ` + v.${WEIGHT[f]}`).join("")}) / v.total, 1)) from weights v)`;
const tokens = (f: Feature) => `(select ${f}_tokens from q)`;

export function rankOpportunitiesSql(query: OpportunityMatchQuery): SQL {
  const me = query.volunteer;
  const minutes = sql`${me.availableMinutes ?? "{}"}::int4multirange`;
  const area = sql`${me.practiceArea}::text`;
  const thresholdOf = (tiers: string[]) => threshold(tiers, "id", query.limit, query.after);
  const guardsOf = (k: string, t: string, sets: Feature[][]) => guards(bound, k, t, sets, "true", t);
  // Scores a tier's candidates exactly from their rows and their organisation's weights (the hard filters apply):
  // first what needs only the row, then, for those that could still reach threshold `t`, the meeting overlap.
  const evaluate = (ids: string, t: string) => sql`
    select pre.id, pre.name, pre.organisation_id, pre.short_description, pre.work_environment, pre.min_hours,
      o.overlap, pre.meeting_total, pre.n_req, pre.n_pref, pre.r, pre.p, pre.a, fv.v, pre.h,
      pre.wr, pre.wp, pre.wa, pre.wv, pre.wh, ${scoreOf("fv", "pre")} as score
    from (
      select o.id, o.name, o.organisation_id, o.short_description, o.work_environment,
        o.min_hours_per_week as min_hours, o.meeting_minutes, ${totalMinutes(sql.raw("o.meeting_minutes"))} as meeting_total,
        m.n_req, m.n_pref, f.*, w.*
      from ${sql.raw(ids)} c
      cross join q
      cross join lateral (select * from opportunities x where x.id = c.id offset 0) o
      cross join lateral (
        select cardinality(o.match_required_ids) as n_req, cardinality(o.match_preferred_ids) as n_pref,
          coalesce(sum(least(my.level / o.match_required_levels[rp.i], 1)) filter (where rp.i is not null), 0) as req_held,
          coalesce(sum(least(my.level / o.match_preferred_levels[pp.i], 1)) filter (where pp.i is not null), 0) as pref_held,
          count(*) filter (where my.level >= o.match_required_levels[rp.i]) as req_full,
          count(rp.i) + count(pp.i) as mine
        from my
        cross join lateral (select array_position(o.match_required_ids, my.skill_id) as i) rp
        cross join lateral (select array_position(o.match_preferred_ids, my.skill_id) as i) pp
      ) m
      left join org_weights ow on ow.id = o.organisation_id
      cross join lateral (select coalesce(ow.wr, d.wr) as wr, coalesce(ow.wp, d.wp) as wp, coalesce(ow.wa, d.wa) as wa,
        coalesce(ow.wv, d.wv) as wv, coalesce(ow.wh, d.wh) as wh, coalesce(ow.total, d.total) as total
        from default_weights d) w
      cross join lateral (select
        case when m.n_req = 0 then 1 else ${factor(sql.raw("m.req_held / m.n_req"))} end as r,
        case when m.n_pref = 0 then 1 else ${factor(sql.raw("m.pref_held / m.n_pref"))} end as p,
        case when m.n_req > 0 then
            case when o.match_required_ids <@ q.unnamed then 1 else (o.match_required_ids && q.of_my_area)::int end
          when m.n_pref > 0 and not (o.match_preferred_ids <@ q.unnamed) then (o.match_preferred_ids && q.of_my_area)::int
          else 1 end as a,
        ${hoursFactor(sql.raw(String(me.maxHoursPerWeek)), sql.raw("o.min_hours_per_week"))} as h,
        case when o.match_tokens && q.v_tokens then 1 else 0 end as v
      ) f
      where o.status = 'open' and o.visibility = 'public' and o.min_hours_per_week <= ${me.maxHoursPerWeek}::int
        and o.work_environment = any(${sql.param(me.workEnvironments)}::text[]) and m.mine > 0
        and (not ${query.strict} or m.req_full = m.n_req) and ${scoreOf("f", "w")} >= ${sql.raw(t)}
      offset 0
    ) pre
    cross join lateral (select ${overlapMinutes(sql.raw("pre.meeting_minutes"), minutes)} as overlap offset 0) o
    cross join lateral (select pre.r, pre.p, pre.a, pre.h,
      case when pre.meeting_total = 0 then 1 else ${factor(sql.raw("o.overlap::numeric / pre.meeting_total"))} end as v
    ) fv`;
  // The candidates of a tier's groups (see opportunity_candidates, migration matching_required_sets).
  const candidates = (search: "only mine" | "any", groups: string) =>
    `opportunity_candidates(${search === "any" ? "'any'" : "(select only_mine from q)"}, ` +
    `(select ${search === "any" ? "any_tokens" : "subset_keys"} from q), ` +
    `(select positions from q), ${groups}, ${tokens("v")}, ${tokens("a")}, ${tokens("p")}, ` +
    "(select env_tokens from q), (select hours_tokens from q), (select none_required_keys from q), " +
    "(select my_minutes from q), (select my_skills from q))";
  const positionTokens = Array.from(
    { length: POSITIONS },
    (_, i) => `array[array(select match_position_token(${i + 1}, skill_id) from my) || ${700001 + i}]`,
  );
  const missingOne = `${MAX_REQUIRED_SKILLS - 1}::numeric / ${MAX_REQUIRED_SKILLS}`;

  return sql`
with my as materialized (
  select skill_id, level::numeric as level from profile_skills where user_id = ${me.userId}
),
q as materialized (
  select ${sql.raw(positionTokens.join(" || "))} as positions,
    -- How tiers 1 and 2 search; the keys of every nonempty subset of my skills, as match_required_set hashes them
    -- (up to MAX_SUBSET_SKILLS), and those of opportunities requiring none that prefer one of mine.
    case when (select count(*) from my) <= ${MAX_SUBSET_SKILLS} then 'subsets' else 'positions' end as only_mine,
    case when (select count(*) from my) <= ${MAX_SUBSET_SKILLS} then array(
      select hashtext('r' || string_agg(s.skill_id::text, ',' order by s.skill_id))
      from generate_series(1, (1 << (select count(*) from my)::int) - 1) mask
      join (select skill_id, (row_number() over (order by skill_id))::int - 1 as i from my) s on mask & (1 << s.i) <> 0
      group by mask
    ) end as subset_keys,
    array(select hashtext('e' || skill_id) from my) as none_required_keys,
    ${minutes} as my_minutes, array(select skill_id from my) as my_skills,
    array(select match_environment_token(e) from unnest(${sql.param(me.workEnvironments)}::text[]) e) as env_tokens,
    array[match_hours_ceiling_token(${me.maxHoursPerWeek}::int)] as hours_tokens,
    match_hour_tokens(${minutes}) || 600001 as v_tokens,
    array_remove(array[match_area_token(${area})], null) || 600003 as a_tokens,
    array(select match_preferred_token(skill_id) from my) || 600002 as p_tokens,
    array(select match_skill_token(skill_id) from my) || array(select match_preferred_token(skill_id) from my) as any_tokens,
    -- For the practice-area factor: the skills of the volunteer's area, and those naming no area at all.
    array(select id from skills where ${area} = any(practice_areas)) as of_my_area,
    array(select id from skills where cardinality(practice_areas) = 0) as unnamed
),
org_weights as materialized (${organisationWeights()}),
default_weights as materialized (${defaultWeights()}),
-- Every set of weights in use, for the bounds.
weights as materialized (
  select wr, wp, wa, wv, wh, total from org_weights union select wr, wp, wa, wv, wh, total from default_weights
),
tier1_ids as materialized (${tierIds(candidates("only mine", `array['${FEATURES.join("")}']`), [], "id")}),
tier1 as materialized (${evaluate("tier1_ids", "-1")}),
t1 as materialized (select ${thresholdOf(["tier1"])} as t),
tier2_guards as materialized (${guardsOf("1", "t1", SETS.slice(0, FULL))}),
tier2_ids as materialized (${tierIds(candidates("only mine", groupsRead("tier2", SETS.slice(0, FULL))), ["tier1"], "id")}),
tier2 as materialized (${evaluate("tier2_ids", "(select t from t1)")}),
t2 as materialized (select ${thresholdOf(["tier1", "tier2"])} as t),
tier3_guards as materialized (${guardsOf(missingOne, "t2", SETS)}),
tier3_ids as materialized (${tierIds(candidates("any", groupsRead("tier3", SETS)), ["tier1", "tier2"], "id")}),
tier3 as materialized (${evaluate("tier3_ids", "(select t from t2)")}),
ranked as (select * from tier1 union all select * from tier2 union all select * from tier3),
page as materialized (
  select * from ranked where ${afterCursor(sql.raw("score"), sql.raw("id"), query.after)}
  order by score desc, id limit ${query.limit + 1}
)
select pg.*,
  (select coalesce(array_agg(distinct a order by a), '{}') from opportunity_skills x join skills k on k.id = x.skill_id,
    unnest(k.practice_areas) a where x.opportunity_id = pg.id and (x.requirement = 'required' or pg.n_req = 0)) as areas,
  (select coalesce(jsonb_agg(jsonb_build_object('skill_id', x.skill_id, 'name', k.name, 'required', x.requirement = 'required',
      'required_level', x.level, 'level', my.level) order by x.requirement desc, k.name, x.skill_id), '[]')
    from opportunity_skills x join skills k on k.id = x.skill_id left join my on my.skill_id = x.skill_id
    where x.opportunity_id = pg.id) as skills,
  (select count(*) from ranked)::int as evaluated
from page pg
order by pg.score desc, pg.id`;
}

/** The page of opportunities for a volunteer (limit + 1 rows, to tell whether there is more), best first. */
export async function rankOpportunities(db: Queryable, query: OpportunityMatchQuery): Promise<OpportunityMatchRow[]> {
  const result = await db.execute<OpportunityMatchRow>(rankOpportunitiesSql(query));
  return result.rows;
}
