// Skills written straight into the catalog, so a suite can arrange the skills a matrix names without the
// curation endpoints (which need a platform administrator).

import { eq } from "drizzle-orm";
import { ID_PREFIX, toTypeId } from "../../functions/platform/ids";
import { opportunitySkills, type PracticeArea, type SkillRequirement, skills } from "../../schema";
import { withDb } from "./db";
import { uniqueSuffix } from "./env";
import type { Made } from "./programs";

/** A skill of the catalog (a unique name unless given; in `engineering` unless told). */
export async function insertSkill(
  name = `skill ${uniqueSuffix()}`,
  areas: PracticeArea[] = ["engineering"],
): Promise<Made & { name: string }> {
  return withDb(async (db) => {
    const [row] = await db
      .insert(skills)
      .values({ name, description: "Made by a test.", practiceAreas: areas })
      .returning();
    return { id: toTypeId(ID_PREFIX.skill, row!.id), uuid: row!.id, name };
  });
}

/** Retires a skill (what DELETE /v1/skills/{id} does), or restores it with `retired = false`. */
export async function retireSkill(skill: Made, retired = true): Promise<void> {
  await withDb((db) =>
    db
      .update(skills)
      .set({ retiredAt: retired ? new Date() : null })
      .where(eq(skills.id, skill.uuid)),
  );
}

/** A skill an opportunity requires (or prefers), written straight into `opportunity_skills`. */
export async function addOpportunitySkill(
  opportunity: Made,
  skill: Made,
  level: number,
  requirement: SkillRequirement = "required",
): Promise<void> {
  await withDb((db) =>
    db.insert(opportunitySkills).values({ opportunityId: opportunity.uuid, skillId: skill.uuid, requirement, level }),
  );
}
