// Tiered candidate search, shared by both directions. Candidates are read from a GIN index on `match_tokens` in
// groups: a skill condition (say "holds every required skill") and a set of features the candidate must touch —
//   v  availability: a token of an hour of the week the meeting times and the availability share
//   a  practice area: the practice-area token
//   p  a preferred skill
// A group's bound is the best score a candidate in it could reach: its skill condition's coverage, every feature
// it touches at full marks, the others at 0 (hours at full marks). After each tier, T is the score of the row just
// past the page among the rows scored so far; a group is read when its bound reaches T and no group asking for
// fewer features would (that one, a superset of it, is read instead). A candidate never read scores below T, so
// it could not have made the page: the order stays exact.
import { type SQL, sql } from "drizzle-orm";
import { type After, afterCursor } from "./scoring";

export type Feature = "v" | "a" | "p";
export const FEATURE_SETS: Feature[][] = [[], ["v"], ["a"], ["p"], ["v", "a"], ["v", "p"], ["a", "p"], ["v", "a", "p"]];
/** The group touching every feature. */
export const ALL_FEATURES = FEATURE_SETS.length - 1;
export const EVERY_SET = FEATURE_SETS.map((_, i) => i);
export const PROPER_SETS = EVERY_SET.slice(0, ALL_FEATURES);

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

/** One row of booleans `g<i>`: which of the groups `sets` a tier reads. */
export function guards(bound: Bound, k: string, t: string, sets: number[], when: string, from: string): SQL {
  const columns = sets.map((i) => `(${when}) and ${guard(bound, k, FEATURE_SETS[i] as Feature[], `${t}.t`)} as g${i}`);
  return sql.raw(`select ${columns.join(", ")} from ${from}`);
}

/** The GIN conditions for touching each feature of group `i` (`tokens(f)` yields the feature's token array). */
export function touching(row: string, i: number, tokens: (f: Feature) => string): string {
  return (FEATURE_SETS[i] as Feature[]).map((f) => ` and ${row}.match_tokens && ${tokens(f)}`).join("");
}

/** A tier's candidate ids: the union of the groups its guards let through, less those earlier tiers read. */
export function tierIds(tier: string, sets: number[], group: (i: number) => string, read: string[], id: string): SQL {
  const groups = sets.map((i) => `${group(i)} and (select g${i} from ${tier}_guards)`).join(" union ");
  const before = read.map((done) => ` except select ${id} from ${done}_ids`).join("");
  return sql.raw(`select ${id} from (${groups}) found${before}`);
}

/** T after the tiers scored so far: the score of the row just past the page (-1 while there is none). */
export function threshold(tiers: string[], id: string, limit: number, after: After | undefined): SQL {
  const scored = tiers.map((tier) => `select score, ${id} from ${tier}`).join(" union all ");
  return sql`coalesce((select x.score from (${sql.raw(scored)}) x
    where ${afterCursor(sql.raw("x.score"), sql.raw(`x.${id}`), after)}
    order by x.score desc, x.${sql.raw(id)} offset ${limit} limit 1), -1)`;
}
