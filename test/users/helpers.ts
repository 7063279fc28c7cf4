// What the profile suites share: skills written straight into the catalog (the skills area builds its endpoints
// in parallel), a fresh person, and the calls they make again and again.

import { eq } from "drizzle-orm";
import { ID_PREFIX, parseTypeId, toTypeId } from "../../functions/platform/ids";
import { profileSkills, skills, volunteerProfiles } from "../../schema";
import { call, personToken, uniqueSuffix, withDb } from "../harness";

export interface MadeSkill {
  id: string;
  uuid: string;
}

/** A skill of the catalog (retired when asked), with a name unique to this run. */
export async function insertSkill(options: { retired?: boolean; name?: string } = {}): Promise<MadeSkill> {
  return withDb(async (db) => {
    const [row] = await db
      .insert(skills)
      .values({
        name: options.name ?? `Skill ${uniqueSuffix()}`,
        description: "Made by a test.",
        practiceAreas: ["data_science"],
        retiredAt: options.retired ? new Date() : null,
      })
      .returning();
    return { id: toTypeId(ID_PREFIX.skill, row!.id), uuid: row!.id };
  });
}

export async function retireSkill(skill: MadeSkill): Promise<void> {
  await withDb((db) => db.update(skills).set({ retiredAt: new Date() }).where(eq(skills.id, skill.uuid)));
}

/** Someone new: a person token of an email nobody has used, and that email. */
export async function newPerson(label = "volunteer") {
  const email = `${label}-${uniqueSuffix()}@profiles.test`;
  return { email, token: await personToken({ email }) };
}

export const getMe = (token: string) => call("GET", "/v1/users/me", { token });
export const patchMe = (token: string, body: unknown) => call("PATCH", "/v1/users/me", { token, body });

/** The profile row and its skill rows as stored, by the user's TypeID. */
export async function storedProfile(userId: string) {
  const uuid = parseTypeId(ID_PREFIX.user, userId) as string;
  return withDb(async (db) => {
    const [profile] = await db.select().from(volunteerProfiles).where(eq(volunteerProfiles.userId, uuid));
    const rows = await db
      .select({ skillId: profileSkills.skillId, level: profileSkills.level })
      .from(profileSkills)
      .where(eq(profileSkills.userId, uuid));
    return { profile: profile ?? null, skills: rows };
  });
}

/** A profile for an existing person, written directly (an empty one; kept as it is when there is one). */
export async function ensureProfile(userId: string): Promise<void> {
  const uuid = parseTypeId(ID_PREFIX.user, userId) as string;
  await withDb((db) => db.insert(volunteerProfiles).values({ userId: uuid }).onConflictDoNothing());
}
