import { asc, eq, type SQL, sql } from "drizzle-orm";
import { opportunities, opportunitySkills, type SkillRequirement, skills } from "../../schema";
import type { Queryable } from "../platform/db";
import { validationError } from "../platform/errors";
import { ID_PREFIX, toTypeId } from "../platform/ids";
import { assertSkillsUsable } from "../skills/matrix";

/** One skill an opportunity requires or prefers, at a level. */
export interface OpportunitySkill {
  skillId: string;
  requirement: SkillRequirement;
  level: number;
}

/** The two matrices of a write: each one given replaces the stored one. */
export interface SkillMatrices {
  required_skills?: ReadonlyMap<string, number>;
  preferred_skills?: ReadonlyMap<string, number>;
}

const FIELD: Record<SkillRequirement, keyof SkillMatrices> = {
  required: "required_skills",
  preferred: "preferred_skills",
};
const OTHER: Record<SkillRequirement, SkillRequirement> = { required: "preferred", preferred: "required" };

/**
 * The opportunity's skills as a column of the same select (a correlated subquery over the primary key): a JSON
 * array in skill id order, so reads stay one statement.
 */
export const skillsColumn = (): SQL<OpportunitySkill[]> =>
  sql<
    OpportunitySkill[]
  >`(select coalesce(json_agg(json_build_object('skillId', ${opportunitySkills.skillId}, 'requirement', ${opportunitySkills.requirement}, 'level', ${opportunitySkills.level}) order by ${opportunitySkills.skillId}), '[]'::json) from ${opportunitySkills} where ${opportunitySkills.opportunityId} = ${opportunities.id})`;

/** The stored skills of an opportunity, in skill id order. */
export async function loadSkills(tx: Queryable, opportunityId: string): Promise<OpportunitySkill[]> {
  return tx
    .select({
      skillId: opportunitySkills.skillId,
      requirement: opportunitySkills.requirement,
      level: opportunitySkills.level,
    })
    .from(opportunitySkills)
    .where(eq(opportunitySkills.opportunityId, opportunityId))
    .orderBy(asc(opportunitySkills.skillId));
}

/**
 * The skills after a write: each matrix given replaces that requirement's skills, the other stays. A skill is
 * required or preferred, never both (400 on the field given), and every skill added is in the catalog and not
 * retired (400 on `<field>.<skill id>`); a retired skill the opportunity already holds may stay, at any level.
 * Checked skills are share-locked (assertSkillsUsable), so one being retired meanwhile waits or is refused.
 */
export async function nextSkills(
  tx: Queryable,
  current: readonly OpportunitySkill[],
  input: SkillMatrices,
): Promise<OpportunitySkill[]> {
  const given = (["required", "preferred"] as const).filter((requirement) => input[FIELD[requirement]]);
  if (given.length === 0) return [...current];
  const next: OpportunitySkill[] = current.filter((skill) => !given.includes(skill.requirement));
  const problems: Record<string, string[]> = {};
  for (const requirement of given) {
    for (const [skillId, level] of input[FIELD[requirement]] ?? []) {
      const other = OTHER[requirement];
      if (next.some((skill) => skill.skillId === skillId && skill.requirement === other)) {
        problems[`${FIELD[requirement]}.${toTypeId(ID_PREFIX.skill, skillId)}`] = [
          `is in ${FIELD[other]} already: a skill is either required or preferred`,
        ];
      }
      next.push({ skillId, requirement, level });
    }
  }
  if (Object.keys(problems).length > 0) throw validationError(problems);
  const held = new Set(current.map((skill) => skill.skillId));
  for (const requirement of given) {
    await assertSkillsUsable(tx, FIELD[requirement], input[FIELD[requirement]] ?? new Map(), held);
  }
  return next.sort((a, b) => (a.skillId < b.skillId ? -1 : a.skillId > b.skillId ? 1 : 0));
}

const same = (a: readonly OpportunitySkill[], b: readonly OpportunitySkill[]) =>
  a.length === b.length &&
  a.every(
    (skill, i) =>
      skill.skillId === b[i]?.skillId && skill.requirement === b[i]?.requirement && skill.level === b[i]?.level,
  );

/** Stores the skills of an opportunity (both sorted by skill id): nothing when they did not change. */
export async function writeSkills(
  tx: Queryable,
  opportunityId: string,
  before: readonly OpportunitySkill[],
  after: readonly OpportunitySkill[],
): Promise<void> {
  if (same(before, after)) return;
  if (before.length > 0) await tx.delete(opportunitySkills).where(eq(opportunitySkills.opportunityId, opportunityId));
  if (after.length > 0) {
    await tx.insert(opportunitySkills).values(after.map((skill) => ({ ...skill, opportunityId })));
  }
}

/** Catalog filter: opportunities that require the skill at `minLevel` or above (the (skill, level) index). */
export function requiresSkill(skillId: string, minLevel: number): SQL {
  return sql`${opportunities.id} in (select ${opportunitySkills.opportunityId} from ${opportunitySkills} where ${opportunitySkills.skillId} = ${skillId} and ${opportunitySkills.level} >= ${minLevel} and ${opportunitySkills.requirement} = 'required')`;
}

/** Catalog filter: opportunities with a required skill in the practice area. */
export function requiresArea(area: string): SQL {
  return sql`exists (select 1 from ${opportunitySkills} inner join ${skills} on ${skills.id} = ${opportunitySkills.skillId} where ${opportunitySkills.opportunityId} = ${opportunities.id} and ${opportunitySkills.requirement} = 'required' and ${skills.practiceAreas} @> array[${area}]::text[])`;
}
