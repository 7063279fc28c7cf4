// The arithmetic of a match score, as SQL fragments both directions share. A score is
//   round(100 × Σ weight × factor / Σ weight, 1)
// over five factors, each 0–1 and rounded to 4 decimals first, so the explanation a client gets adds up exactly:
//   required_skills   mean over the required skills of min(level held / level asked, 1) (0 when not held);
//                     1 when the opportunity requires none
//   preferred_skills  the same over the preferred skills; 1 when it prefers none
//   practice_area     1 when the volunteer's practice area is one of the practice areas of the opportunity's
//                     required skills (its preferred skills' when it requires none), else 0; 1 when those skills
//                     name no practice area
//   availability      minutes of the opportunity's weekly meeting times the volunteer is available (both in UTC
//                     minutes of the week) ÷ the meeting minutes; 1 when it has no meeting times
//   hours             min(1, max_hours_per_week ÷ (2 × min_hours_per_week)): full marks from twice the minimum,
//                     0.5 at the minimum itself (below it is a hard filter); 1 when it asks no minimum
import { type SQL, sql } from "drizzle-orm";
import { organisations } from "../../schema";
import { DEFAULT_MATCHING_WEIGHTS } from "./weights";

/** Where a ranked list continues: after this score and id (score descending, then id ascending). */
export interface After {
  key: number;
  id: string;
}

/** The weights in effect from stored overrides `m` (jsonb numbers, exact) over the defaults: `wr wp wa wv wh`. */
function weightColumns(m: string): SQL {
  const d = DEFAULT_MATCHING_WEIGHTS;
  const pick = (key: string, fallback: number) =>
    sql`coalesce((${sql.raw(m)} ->> ${key})::numeric, ${String(fallback)}::numeric)`;
  return sql`${pick("required_skills", d.required_skills)} as wr, ${pick("preferred_skills", d.preferred_skills)} as wp,
    ${pick("practice_area", d.practice_area)} as wa, ${pick("availability", d.availability)} as wv, ${pick("hours", d.hours)} as wh`;
}

/** The organisation's weights in effect, as a one-row query: `wr wp wa wv wh` (numeric) and their `total`. */
export function weightsOf(organisationId: SQL | string): SQL {
  return sql`select x.*, x.wr + x.wp + x.wa + x.wv + x.wh as total from (
    select ${weightColumns("o.matching_weights")}
    from (select 1) one left join ${organisations} o on o.id = ${organisationId}
  ) x`;
}

/** The weights of every organisation that set its own: `id`, `wr wp wa wv wh`, `total`. */
export function organisationWeights(): SQL {
  return sql`select x.*, x.wr + x.wp + x.wa + x.wv + x.wh as total from (
    select o.id, ${weightColumns("o.matching_weights")} from ${organisations} o where o.matching_weights is not null
  ) x`;
}

/** The default weights, as a one-row query like weightsOf. */
export function defaultWeights(): SQL {
  return sql`select x.*, x.wr + x.wp + x.wa + x.wv + x.wh as total from (select ${weightColumns("null::jsonb")}) x`;
}

/** The weighted score of factor columns `r p a v h` with weights `w`, rounded to one decimal. */
export function scoreOf(f: string, w: string): SQL {
  return sql.raw(
    `round(100 * (${w}.wr * ${f}.r + ${w}.wp * ${f}.p + ${w}.wa * ${f}.a + ${w}.wv * ${f}.v + ${w}.wh * ${f}.h) / ${w}.total, 1)`,
  );
}

/** `round(x, 4)`, the precision factors are shown and summed at. */
export const factor = (expression: SQL): SQL => sql`round((${expression})::numeric, 4)`;

/** The hours factor of a volunteer who can give `max` hours a week, for an opportunity asking at least `min`. */
export function hoursFactor(max: SQL, min: SQL): SQL {
  return sql`case when ${min} <= 0 then 1 else ${factor(sql`least(1, ${max}::numeric / (2 * ${min}))`)} end`;
}

/** Minutes of `a` that `b` also covers (both int4multirange; null counts as nothing). */
export function overlapMinutes(a: SQL, b: SQL): SQL {
  return sql`(select coalesce(sum(upper(r) - lower(r)), 0)::int from unnest(coalesce(${a}, '{}') * coalesce(${b}, '{}')) r)`;
}

/** Minutes a week an int4multirange covers. */
export function totalMinutes(a: SQL): SQL {
  return sql`(select coalesce(sum(upper(r) - lower(r)), 0)::int from unnest(coalesce(${a}, '{}')) r)`;
}

/** Rows after the cursor in (score desc, id asc) order. */
export function afterCursor(score: SQL, id: SQL, after: After | undefined): SQL {
  if (!after) return sql`true`;
  return sql`(${score} < ${String(after.key)}::numeric or (${score} = ${String(after.key)}::numeric and ${id} > ${after.id}::uuid))`;
}
