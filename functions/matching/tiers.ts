// Tiered candidate search, shared by both directions. Candidates are read from an index in groups: a skill
// condition (say "holds every required skill") and a set of features the candidate must touch —
//   v  availability: free at an hour of the week the meeting times take
//   a  practice area: the practice area asked for
//   p  a preferred skill
// A group's bound is the best score a candidate in it could reach: its skill condition's coverage, every feature
// it touches at full marks, the others at 0 (hours at full marks). After each tier, T is the score of the row just
// past the page among the rows scored so far; a group is read when its bound reaches T and no group asking for
// fewer features would (that one, a superset of it, is read instead). A candidate never read scores below T, so
// it could not have made the page: the order stays exact. Only features that vary between candidates form groups;
// one that is the same for all is part of every bound. The guards are computed in the statement; the scans of the
// groups they let through are planned and run by a database function, so groups not read cost nothing.
import { type SQL, sql } from "drizzle-orm";
import { type After, afterCursor } from "./scoring";

export type Feature = "v" | "a" | "p";

/** The groups of a search over `features`: every subset, the empty one first and the full one last. */
export function featureSets(features: Feature[]): Feature[][] {
  return Array.from({ length: 1 << features.length }, (_, mask) => features.filter((_, i) => mask & (1 << i)));
}

/** SQL text: the best score (rounded like scores) of a candidate with skill coverage `k` touching `features`. */
export type Bound = (k: string, features: Feature[]) => string;

/** Whether group (k, features) is read after threshold `t`: it may reach t, and no group asking less may. */
function guard(bound: Bound, k: string, features: Feature[], t: string): string {
  const smaller = features
    .map(
      (f) =>
        ` and ${bound(
          k,
          features.filter((g) => g !== f),
        )} < ${t}`,
    )
    .join("");
  return `${bound(k, features)} >= ${t}${smaller}`;
}

/** One row of booleans `g<i>`, one per group of `sets`: which of them a tier reads. */
export function guards(bound: Bound, k: string, t: string, sets: Feature[][], when: string, from: string): SQL {
  const columns = sets.map((set, i) => `(${when}) and ${guard(bound, k, set, `${t}.t`)} as g${i}`);
  return sql.raw(`select ${columns.join(", ")} from ${from}`);
}

/**
 * The groups a tier reads, as a text[] for the candidate functions (`volunteer_candidates`,
 * `opportunity_candidates`, migrations `matching_keys` and `matching_required_sets`): each group's features, for the
 * guards that let it through.
 */
export function groupsRead(tier: string, sets: Feature[][]): string {
  const chosen = sets.map((set, i) => `case when g${i} then '${set.join("")}' end`);
  return `(select array_remove(array[${chosen.join(", ")}]::text[], null) from ${tier}_guards)`;
}

/** A tier's candidates, as `columns`: what the candidate function `candidates` returns, less earlier tiers'. */
export function tierIds(candidates: string, read: string[], columns: string): SQL {
  const before = read.map((done) => ` except select ${columns} from ${done}_ids`).join("");
  return sql.raw(`select ${columns} from ${candidates} found${before}`);
}

/** T after the tiers scored so far: the score of the row just past the page (-1 while there is none). */
export function threshold(tiers: string[], id: string, limit: number, after: After | undefined): SQL {
  const scored = tiers.map((tier) => `select score, ${id} from ${tier}`).join(" union all ");
  return sql`coalesce((select x.score from (${sql.raw(scored)}) x
    where ${afterCursor(sql.raw("x.score"), sql.raw(`x.${id}`), after)}
    order by x.score desc, x.${sql.raw(id)} offset ${limit} limit 1), -1)`;
}
